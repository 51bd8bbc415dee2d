namespace EdgeBroker.Core.Streams;

/// <summary>
/// Stream names become directory names (<c>&lt;data&gt;/streams/&lt;name&gt;/</c>), so they use a safe alphabet
/// (RELIABILITY.md "Input hygiene"): 1–200 characters from <c>A-Z a-z 0-9 . _ -</c>, not starting with a dot
/// (dot-names are the store's own directories). Stateless, thread-safe.
/// </summary>
public static class StreamNames
{
    public const int MaxLength = 200;

    /// <summary>Null when <paramref name="name"/> is valid, else why not.</summary>
    public static string? Check(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a stream name must not be empty";
        }

        if (name.Length > MaxLength)
        {
            return $"a stream name must be at most {MaxLength} characters (was {name.Length})";
        }

        if (name[0] == '.')
        {
            return "a stream name must not start with '.'";
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return $"a stream name may contain only A-Z, a-z, 0-9, '.', '_' and '-' (found '{(char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString())}')";
            }
        }

        return null;
    }

    public static bool IsValid(string? name) => Check(name) is null;

    /// <summary>Consumer group names share the alphabet (they are part of offset keys and metric labels).</summary>
    public static string? CheckGroup(string? group) =>
        Check(group) is { } reason ? reason.Replace("stream name", "group name", StringComparison.Ordinal) : null;
}
