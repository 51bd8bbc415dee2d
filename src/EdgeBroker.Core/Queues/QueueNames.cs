namespace EdgeBroker.Core.Queues;

/// <summary>
/// Queue names become directory names, so they are restricted to a safe alphabet (RELIABILITY.md "Input
/// hygiene": on-disk names for queues and streams restricted to a safe alphabet). Stateless, thread-safe.
/// </summary>
public static class QueueNames
{
    public const int MaxLength = 200;

    /// <summary>The suffix of the default dead-letter queue: <c>orders</c> → <c>orders.dlq</c>.</summary>
    public const string DeadLetterSuffix = ".dlq";

    /// <summary>Null when <paramref name="name"/> is a valid queue name, else the reason it is not.</summary>
    public static string? Check(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a queue name must not be empty";
        }

        if (name.Length > MaxLength)
        {
            return $"a queue name must be at most {MaxLength} characters (was {name.Length})";
        }

        if (name is "." or "..")
        {
            return $"'{name}' is reserved by the file system";
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return $"a queue name may contain only A-Z, a-z, 0-9, '.', '_' and '-' (found '{(char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString())}')";
            }
        }

        return null;
    }

    public static bool IsValid(string? name) => Check(name) is null;

    /// <exception cref="ArgumentException">The name is not valid; the message says why.</exception>
    public static void Validate(string? name, string paramName = "name")
    {
        if (Check(name) is { } reason)
        {
            throw new ArgumentException($"Invalid queue name '{name}': {reason}.", paramName);
        }
    }

    /// <summary>The dead-letter queue of <paramref name="queue"/> under <paramref name="options"/>; null = drop (empty string or itself).</summary>
    public static string? DeadLetterQueueFor(string queue, QueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dlq = options.DeadLetterQueue ?? queue + DeadLetterSuffix;
        return dlq.Length == 0 || string.Equals(dlq, queue, StringComparison.Ordinal) ? null : dlq;
    }
}
