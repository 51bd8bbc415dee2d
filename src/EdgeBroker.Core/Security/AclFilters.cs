namespace EdgeBroker.Core.Security;

using EdgeBroker.Core.Topics;

/// <summary>
/// Filter-against-filter questions an ACL needs (checking a SUBSCRIBE by equality is the classic hole,
/// CVE-2017-7650): does an ACL filter cover every topic a subscription filter can match, and can two
/// filters match a common topic at all. Both follow [MQTT-4.7.2-1]: a leading wildcard never reaches
/// a <c>$</c> topic. Thread-safety: stateless.
/// </summary>
public static class AclFilters
{
    /// <summary>True when every topic <paramref name="filter"/> matches is also matched by <paramref name="acl"/>.</summary>
    public static bool Covers(string acl, string filter)
    {
        var a = acl.Split(Topic.Separator);
        var f = filter.Split(Topic.Separator);
        if (LeadingWildcardMeetsReserved(a, f))
        {
            return false;
        }

        for (var i = 0; ; i++)
        {
            if (i == a.Length)
            {
                return i == f.Length;
            }

            if (a[i] == "#")
            {
                return true;
            }

            if (i == f.Length)
            {
                return false;
            }

            if (f[i] == "#")
            {
                // A leading '#' matches one level or more, which a leading "+/#" matches as well; deeper down
                // '#' also matches the parent (no level at all), which only '#' itself covers.
                return i == 0 && a.Length == 2 && a[0] == "+" && a[1] == "#";
            }

            if (a[i] != "+" && (f[i] == "+" || f[i] != a[i]))
            {
                return false;
            }
        }
    }

    /// <summary>True when some topic name is matched by both filters.</summary>
    public static bool Overlap(string first, string second)
    {
        var a = first.Split(Topic.Separator);
        var b = second.Split(Topic.Separator);
        if (LeadingWildcardMeetsReserved(a, b) || LeadingWildcardMeetsReserved(b, a))
        {
            return false;
        }

        for (var i = 0; ; i++)
        {
            if ((i < a.Length && a[i] == "#") || (i < b.Length && b[i] == "#"))
            {
                return true;
            }

            if (i == a.Length || i == b.Length)
            {
                return i == a.Length && i == b.Length;
            }

            if (a[i] != "+" && b[i] != "+" && a[i] != b[i])
            {
                return false;
            }
        }
    }

    /// <summary><paramref name="wild"/> starts with a wildcard level and every topic of <paramref name="other"/> starts with <c>$</c>.</summary>
    private static bool LeadingWildcardMeetsReserved(string[] wild, string[] other) =>
        wild[0] is "+" or "#" && other[0].StartsWith('$');
}
