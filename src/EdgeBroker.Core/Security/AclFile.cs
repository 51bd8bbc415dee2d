namespace EdgeBroker.Core.Security;

using System.Text;
using EdgeBroker.Core.Topics;

/// <summary>
/// The ACL file, Mosquitto's format plus queue, stream and client blocks:
/// <code>
///  # rules before any user/client line apply to anonymous clients
///  topic read public/#
///  user alice                       # rules below apply to user alice
///  topic readwrite home/alice/#
///  topic deny home/alice/secret     # deny beats any allow
///  queue readwrite orders           # read = consume, write = send
///  stream read telemetry*           # read = history and group consumption; '*' ends a prefix
///  client gateway-7                 # rules below apply to client id gateway-7 (any user)
///  topic write plant/7/#
///  pattern readwrite devices/%c/#   # every client; %u / %c (or ${username} / ${clientid}) substituted
/// </code>
/// The access word is optional (<c>readwrite</c> then). A malformed line is an error naming the line.
/// Thread-safety: stateless; the result is immutable.
/// </summary>
public static class AclFile
{
    public static AclDocument Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var anonymous = new List<AclRule>();
        var users = new Dictionary<string, List<AclRule>>(StringComparer.Ordinal);
        var clients = new Dictionary<string, List<AclRule>>(StringComparer.Ordinal);
        var patterns = new List<AclRule>();
        var current = anonymous;
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var keyword = space < 0 ? line : line[..space];
            var rest = space < 0 ? "" : line[(space + 1)..].Trim();
            switch (keyword)
            {
                case "user":
                    current = Section(users, rest, number, "user");
                    break;
                case "client":
                    current = Section(clients, rest, number, "client");
                    break;
                case "topic":
                    current.Add(Rule(AclResource.Topic, rest, isPattern: false, number));
                    break;
                case "pattern":
                    patterns.Add(Rule(AclResource.Topic, rest, isPattern: true, number));
                    break;
                case "queue":
                    current.Add(Rule(AclResource.Queue, rest, isPattern: false, number));
                    break;
                case "stream":
                    current.Add(Rule(AclResource.Stream, rest, isPattern: false, number));
                    break;
                default:
                    throw new FormatException($"ACL line {number}: unknown keyword '{keyword}' (expected user, client, topic, pattern, queue or stream)");
            }
        }

        return new AclDocument(
            new AclSection(anonymous),
            users.ToDictionary(p => p.Key, p => new AclSection(p.Value), StringComparer.Ordinal),
            clients.ToDictionary(p => p.Key, p => new AclSection(p.Value), StringComparer.Ordinal),
            patterns);
    }

    public static AclDocument Load(string path) => Parse(File.ReadAllText(path, Encoding.UTF8));

    private static List<AclRule> Section(Dictionary<string, List<AclRule>> sections, string name, int number, string keyword)
    {
        if (name.Length == 0)
        {
            throw new FormatException($"ACL line {number}: '{keyword}' needs a name");
        }

        if (!sections.TryGetValue(name, out var rules))
        {
            rules = [];
            sections.Add(name, rules);
        }

        return rules;
    }

    private static AclRule Rule(AclResource resource, string rest, bool isPattern, int number)
    {
        var access = AclAccess.ReadWrite;
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0 && TryAccess(rest[..space], out var parsed))
        {
            access = parsed;
            rest = rest[(space + 1)..].Trim();
        }

        if (rest.Length == 0)
        {
            throw new FormatException($"ACL line {number}: missing {resource.ToString().ToLowerInvariant()}");
        }

        if (resource == AclResource.Topic)
        {
            // Validate with the placeholders replaced by a safe level, so "devices/%c/#" is checked as a filter.
            var probe = rest.Replace("%u", "u", StringComparison.Ordinal).Replace("%c", "c", StringComparison.Ordinal)
                .Replace("${username}", "u", StringComparison.Ordinal).Replace("${clientid}", "c", StringComparison.Ordinal);
            if (!TopicFilter.TryValidate(probe, out var reason, allowShared: false))
            {
                throw new FormatException($"ACL line {number}: '{rest}' is not a valid topic filter: {reason}");
            }
        }

        return new AclRule(resource, access, rest, isPattern, number);
    }

    private static bool TryAccess(string word, out AclAccess access)
    {
        switch (word)
        {
            case "read":
                access = AclAccess.Read;
                return true;
            case "write":
                access = AclAccess.Write;
                return true;
            case "readwrite":
                access = AclAccess.ReadWrite;
                return true;
            case "deny":
                access = AclAccess.Deny;
                return true;
            default:
                access = AclAccess.Deny;
                return false;
        }
    }
}
