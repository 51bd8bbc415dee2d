namespace EdgeBroker.Core.Security;

using EdgeBroker.Core.Topics;

/// <summary>
/// Evaluates an <see cref="AclDocument"/> for one client: the rules of its block (the anonymous block, or its
/// user's block) plus its client-id block plus every <c>pattern</c> rule with <c>%u</c>/<c>%c</c> substituted.
/// Default deny: nothing is allowed that no rule allows, and a matching <c>deny</c> rule beats any allow.
/// <list type="bullet">
/// <item>Publish: no client publishes to a <c>$</c> topic; otherwise a write rule must match the topic.</item>
/// <item>Subscribe: a read rule must <em>cover</em> the whole filter (containment, not equality), and no deny
///   rule may overlap it, so <c>a/#</c> is refused when <c>a/secret</c> is denied: the broker never has to
///   filter deliveries of an allowed subscription. <c>$share/group/</c> is checked on its inner filter.</item>
/// <item>A substitution whose user name or client id contains <c>+</c>, <c>#</c> or <c>/</c> denies the check
///   (it would widen the pattern to other clients' topics, CVE-2017-7650); a <c>%u</c> rule does not apply to
///   anonymous clients.</item>
/// </list>
/// Thread-safety: immutable after construction.
/// </summary>
public sealed class AclPolicy(AclDocument document)
{
    private readonly AclDocument _document = document ?? throw new ArgumentNullException(nameof(document));

    public bool CanPublish(ClientIdentity client, string topic)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(topic);
        if (Topic.IsReserved(topic))
        {
            return false;
        }

        return Decide(client, AclResource.Topic, AclAccess.Write, pattern => TopicFilter.Matches(pattern, topic), pattern => TopicFilter.Matches(pattern, topic));
    }

    public bool CanSubscribe(ClientIdentity client, string filter)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(filter);
        if (TopicFilter.TryParseShared(filter, out _, out var inner))
        {
            filter = inner;
        }

        return Decide(client, AclResource.Topic, AclAccess.Read, pattern => AclFilters.Covers(pattern, filter), pattern => AclFilters.Overlap(pattern, filter));
    }

    public bool CanAccess(ClientIdentity client, AclResource resource, string name, AclAccess access)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(name);
        return Decide(client, resource, access, pattern => NameMatches(pattern, name), pattern => NameMatches(pattern, name));
    }

    /// <summary><c>*</c> alone matches every name; a trailing <c>*</c> matches a prefix; otherwise exact.</summary>
    private static bool NameMatches(string pattern, string name) =>
        pattern.EndsWith('*') ? name.StartsWith(pattern[..^1], StringComparison.Ordinal) : pattern == name;

    private bool Decide(ClientIdentity client, AclResource resource, AclAccess needed, Func<string, bool> allows, Func<string, bool> denies)
    {
        var allowed = false;
        foreach (var (rule, pattern) in Applicable(client))
        {
            if (rule.Resource != resource)
            {
                continue;
            }

            if (pattern is null)
            {
                return false; // unsafe substitution
            }

            if (rule.Access == AclAccess.Deny)
            {
                if (denies(pattern))
                {
                    return false;
                }
            }
            else if ((rule.Access & needed) == needed && allows(pattern))
            {
                allowed = true;
            }
        }

        return allowed;
    }

    /// <summary>Rules for this client with their effective pattern; a null pattern marks an unsafe substitution.</summary>
    private IEnumerable<(AclRule Rule, string? Pattern)> Applicable(ClientIdentity client)
    {
        var own = client.UserName is null ? _document.Anonymous : _document.Users.GetValueOrDefault(client.UserName);
        foreach (var rule in own?.Rules ?? [])
        {
            yield return (rule, rule.Pattern);
        }

        if (_document.Clients.TryGetValue(client.ClientId, out var byClient))
        {
            foreach (var rule in byClient.Rules)
            {
                yield return (rule, rule.Pattern);
            }
        }

        foreach (var rule in _document.Patterns)
        {
            var usesUser = rule.Pattern.Contains("%u", StringComparison.Ordinal) || rule.Pattern.Contains("${username}", StringComparison.Ordinal);
            if (usesUser && client.UserName is null)
            {
                continue;
            }

            yield return (rule, Substitute(rule.Pattern, client));
        }
    }

    private static string? Substitute(string pattern, ClientIdentity client)
    {
        var user = client.UserName ?? "";
        if (IsUnsafe(user) || IsUnsafe(client.ClientId))
        {
            return pattern.Contains('%', StringComparison.Ordinal) || pattern.Contains("${", StringComparison.Ordinal) ? null : pattern;
        }

        return pattern.Replace("%u", user, StringComparison.Ordinal).Replace("${username}", user, StringComparison.Ordinal)
            .Replace("%c", client.ClientId, StringComparison.Ordinal).Replace("${clientid}", client.ClientId, StringComparison.Ordinal);
    }

    private static bool IsUnsafe(string value) => value.AsSpan().IndexOfAny('+', '#', '/') >= 0;
}
