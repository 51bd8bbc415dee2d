namespace EdgeBroker.Core.Tests.Security;

using EdgeBroker.Core.Security;
using EdgeBroker.Core.Topics;
using FsCheck;
using FsCheck.Fluent;

[Trait("Category", "Unit")]
public sealed class AclFiltersTests
{
    /// <summary>Every topic of 1–5 levels over a, b, c and a reserved $s: rich enough to witness any (non-)containment of the generated filters.</summary>
    private static readonly string[] Universe = BuildUniverse();

    [Theory]
    [InlineData("#", "a/b", true)]
    [InlineData("a/#", "a", true)]
    [InlineData("a/#", "a/+/c", true)]
    [InlineData("a/+", "a/b", true)]
    [InlineData("a/+", "a/#", false)]
    [InlineData("a/b", "a/+", false)]
    [InlineData("a/+/#", "a/#", false)]
    [InlineData("#", "$SYS/#", false)]
    [InlineData("$SYS/#", "$SYS/broker/uptime", true)]
    [InlineData("+/x", "$SYS/x", false)]
    public void CoversOnlyWhatTheFilterCanMatch(string acl, string filter, bool expected) =>
        Assert.Equal(expected, AclFilters.Covers(acl, filter));

    [Theory]
    [InlineData("a/secret", "a/#", true)]
    [InlineData("a/+", "+/b", true)]
    [InlineData("a/b", "a/c", false)]
    [InlineData("a/b/c", "a/+", false)]
    [InlineData("#", "$SYS/x", false)]
    [InlineData("a/#", "a", true)]
    public void OverlapsWhenSomeTopicMatchesBoth(string first, string second, bool expected) =>
        Assert.Equal(expected, AclFilters.Overlap(first, second));

    [Fact]
    public void CoversAgreesWithEnumeratingTopics()
    {
        var prop = Prop.ForAll(Arb.From(FilterGen()), Arb.From(FilterGen()), (acl, filter) =>
        {
            var expected = Universe.Where(t => TopicFilter.Matches(filter, t)).All(t => TopicFilter.Matches(acl, t));
            return AclFilters.Covers(acl, filter) == expected;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), prop);
    }

    [Fact]
    public void OverlapAgreesWithEnumeratingTopics()
    {
        var prop = Prop.ForAll(Arb.From(FilterGen()), Arb.From(FilterGen()), (first, second) =>
        {
            var expected = Universe.Any(t => TopicFilter.Matches(first, t) && TopicFilter.Matches(second, t));
            return AclFilters.Overlap(first, second) == expected;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), prop);
    }

    private static Gen<string> FilterGen() =>
        from inner in Gen.Elements("a", "b", "$s", "+").ArrayOf()
        from length in Gen.Choose(1, 4)
        from hash in Gen.Elements(true, false)
        let levels = inner.Concat(Enumerable.Repeat("a", length)).Take(length).ToList()
        let withHash = hash ? levels.Take(length - 1).Append("#") : levels
        let fixedDollar = withHash.Select((l, i) => i > 0 && l == "$s" ? "a" : l) // '$' only leads a topic
        select string.Join('/', fixedDollar);

    private static string[] BuildUniverse()
    {
        var letters = new[] { "a", "b", "c", "$s" };
        var all = new List<string>();
        var frontier = letters.ToList();
        all.AddRange(frontier);
        for (var depth = 2; depth <= 5; depth++)
        {
            frontier = [.. frontier.SelectMany(prefix => letters.Where(l => l != "$s").Select(l => prefix + "/" + l))];
            all.AddRange(frontier);
        }

        return [.. all];
    }
}
