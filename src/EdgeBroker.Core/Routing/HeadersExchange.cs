namespace EdgeBroker.Core.Routing;

using EdgeBroker.Core.Messages;

/// <summary>
/// Bindings match on message headers: <see cref="Message.Headers"/> (MQTT 5 user properties, STOMP custom
/// headers) plus the well-known fields <c>content-type</c>, <c>key</c>, <c>reply-to</c> and <c>topic</c>.
/// <c>x-match</c> is <c>all</c> (default) or <c>any</c> (also <c>all-with-x</c>/<c>any-with-x</c>), and keys
/// starting <c>x-</c> are ignored when matching, as in RabbitMQ. With no argument to compare, <c>all</c>
/// matches every message and <c>any</c> none. Names and values compare ordinally.
/// Thread-safe: an immutable array of parsed bindings is swapped under the exchange's write lock.
/// </summary>
public sealed class HeadersExchange : Exchange
{
    public const string MatchArgument = "x-match";

    private ParsedBinding[] _parsed = [];

    public HeadersExchange(string name)
        : base(name)
    {
    }

    public override ExchangeType Type => ExchangeType.Headers;

    /// <summary>Parses <c>x-match</c>; throws <see cref="ArgumentException"/> for an unknown value.</summary>
    public static HeaderMatchMode ParseMode(IReadOnlyDictionary<string, string>? arguments)
    {
        if (arguments is null || !arguments.TryGetValue(MatchArgument, out var mode))
        {
            return HeaderMatchMode.All;
        }

        return mode switch
        {
            "all" => HeaderMatchMode.All,
            "any" => HeaderMatchMode.Any,
            "all-with-x" => HeaderMatchMode.AllWithX,
            "any-with-x" => HeaderMatchMode.AnyWithX,
            _ => throw new ArgumentException($"x-match must be all, any, all-with-x or any-with-x, not '{mode}'", nameof(arguments)),
        };
    }

    /// <summary>The RabbitMQ headers-exchange predicate for one binding's arguments.</summary>
    public static bool Matches(Message message, IReadOnlyDictionary<string, string>? arguments)
    {
        ArgumentNullException.ThrowIfNull(message);
        var parsed = Parse(new Binding(new BindingSpec("-", string.Empty, BindingTargetKind.Queue, "-", arguments), null));
        return parsed.Matches(message);
    }

    public override void ValidateBinding(BindingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ParseMode(spec.HeaderArguments);
    }

    public override void Route(Message message, RouteTargets targets)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(targets);
        foreach (var parsed in Volatile.Read(ref _parsed))
        {
            if (parsed.Matches(message))
            {
                AddTarget(parsed.Binding, targets);
            }
        }
    }

    protected override void OnAdd(Binding binding) => Volatile.Write(ref _parsed, [.. _parsed, Parse(binding)]);

    protected override void OnRemove(Binding binding) => Volatile.Write(ref _parsed, Array.FindAll(_parsed, p => !p.Binding.Equals(binding)));

    private static ParsedBinding Parse(Binding binding)
    {
        var arguments = binding.Spec.HeaderArguments;
        var mode = ParseMode(arguments);
        var withX = mode is HeaderMatchMode.AllWithX or HeaderMatchMode.AnyWithX;
        var pairs = new List<KeyValuePair<string, string>>();
        if (arguments is not null)
        {
            foreach (var pair in arguments)
            {
                if (pair.Key == MatchArgument || (!withX && pair.Key.StartsWith("x-", StringComparison.Ordinal)))
                {
                    continue;
                }

                pairs.Add(pair);
            }
        }

        return new ParsedBinding(binding, mode is HeaderMatchMode.Any or HeaderMatchMode.AnyWithX, [.. pairs]);
    }

    private static bool HasHeader(Message message, string name, string value)
    {
        var headers = message.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            if (string.Equals(header.Name, name, StringComparison.Ordinal) && string.Equals(header.Value, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        var field = name switch
        {
            "content-type" => message.ContentType,
            "key" => message.Key,
            "reply-to" => message.ResponseTopic,
            "topic" => message.Topic,
            _ => null,
        };
        return field is not null && string.Equals(field, value, StringComparison.Ordinal);
    }

    private sealed record ParsedBinding(Binding Binding, bool Any, KeyValuePair<string, string>[] Arguments)
    {
        public bool Matches(Message message)
        {
            foreach (var (name, value) in Arguments)
            {
                var present = HasHeader(message, name, value);
                if (Any && present)
                {
                    return true;
                }

                if (!Any && !present)
                {
                    return false;
                }
            }

            // all: nothing failed (true, even with no arguments); any: nothing matched.
            return !Any;
        }
    }
}
