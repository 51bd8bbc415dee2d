namespace EdgeBroker.Server.Configuration;

/// <summary>
/// Names of queues, streams and exchanges become directory names on disk, so they are restricted to a
/// safe alphabet (RELIABILITY.md "Input hygiene"): letters, digits, <c>. _ -</c>, 1–200 characters,
/// not starting with a dot.
/// </summary>
public static class NameRules
{
    public const int MaxLength = 200;

    public const string Description = "1-200 characters from A-Z a-z 0-9 . _ - (not starting with '.')";

    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || name[0] == '.')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
