namespace EdgeBroker.Core.Tests.Routing;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;

/// <summary>x-match all/any as RabbitMQ does it.</summary>
[Trait("Category", "Unit")]
public sealed class HeadersExchangeTests
{
    private static readonly Message Invoice = new()
    {
        Topic = "billing/invoices",
        ContentType = "application/json",
        Key = "customer-42",
        Headers = [new("format", "pdf"), new("type", "report"), new("x-trace", "abc")],
    };

    private static Dictionary<string, string> Args(params (string Name, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);

    public static TheoryData<string[], bool> Cases => new()
    {
        // name=value pairs flattened; x-match defaults to all.
        { ["format", "pdf", "type", "report"], true },
        { ["format", "pdf", "type", "log"], false },
        { ["x-match", "all", "format", "pdf", "type", "log"], false },
        { ["x-match", "any", "format", "pdf", "type", "log"], true },
        { ["x-match", "any", "format", "zip", "type", "log"], false },

        // The well-known fields take part, as headers named content-type, key and topic.
        { ["content-type", "application/json", "key", "customer-42"], true },
        { ["topic", "billing/invoices"], true },
        { ["content-type", "text/plain"], false },

        // Keys starting x- are ignored by all/any (so an unmatched x- key does not fail 'all')...
        { ["format", "pdf", "x-other", "nope"], true },
        { ["x-match", "any", "x-trace", "abc"], false },

        // ...but count with all-with-x / any-with-x.
        { ["x-match", "all-with-x", "format", "pdf", "x-other", "nope"], false },
        { ["x-match", "any-with-x", "x-trace", "abc"], true },

        // No argument to compare: all matches everything, any matches nothing.
        { [], true },
        { ["x-match", "any"], false },

        // Values compare ordinally.
        { ["format", "PDF"], false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesLikeRabbitMq(string[] flattened, bool expected)
    {
        var args = Args([.. flattened.Chunk(2).Select(c => (c[0], c[1]))]);
        Assert.Equal(expected, HeadersExchange.Matches(Invoice, args));
    }

    [Fact]
    public void RoutesToEveryBindingWhoseHeadersMatch()
    {
        var exchange = new HeadersExchange("h");
        var pdf = new RecordingTarget("queue:pdf");
        var anyReport = new RecordingTarget("queue:any");
        var zip = new RecordingTarget("queue:zip");
        exchange.AddBinding(new Binding(new BindingSpec("h", "", BindingTargetKind.Queue, "pdf", Args(("format", "pdf"))), pdf));
        exchange.AddBinding(new Binding(new BindingSpec("h", "", BindingTargetKind.Queue, "any", Args(("x-match", "any"), ("type", "report"), ("format", "zip"))), anyReport));
        exchange.AddBinding(new Binding(new BindingSpec("h", "", BindingTargetKind.Queue, "zip", Args(("format", "zip"))), zip));

        var targets = new RouteTargets();
        exchange.Route(Invoice, targets);

        Assert.Equal(["queue:any", "queue:pdf"], targets.AsSpan().ToArray().Select(t => t.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void BindingsWithTheSameArgumentsInAnotherOrderAreTheSameBinding()
    {
        var exchange = new HeadersExchange("h");
        var target = new RecordingTarget("queue:q");
        var first = new Dictionary<string, string>(StringComparer.Ordinal) { ["a"] = "1", ["b"] = "2" };
        var second = new Dictionary<string, string>(StringComparer.Ordinal) { ["b"] = "2", ["a"] = "1" };
        Assert.True(exchange.AddBinding(new Binding(new BindingSpec("h", "", BindingTargetKind.Queue, "q", first), target)));
        Assert.False(exchange.AddBinding(new Binding(new BindingSpec("h", "", BindingTargetKind.Queue, "q", second), target)));
        Assert.True(exchange.RemoveBinding(new BindingSpec("h", "", BindingTargetKind.Queue, "q", second)));
        Assert.Empty(exchange.Bindings);
    }

    [Fact]
    public void RejectsAnUnknownMatchMode()
    {
        var exchange = new HeadersExchange("h");
        var spec = new BindingSpec("h", "", BindingTargetKind.Queue, "q", Args(("x-match", "most")));
        Assert.Throws<ArgumentException>(() => exchange.AddBinding(new Binding(spec, new RecordingTarget("queue:q"))));
    }
}
