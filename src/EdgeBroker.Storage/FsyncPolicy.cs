namespace EdgeBroker.Storage;

/// <summary>When an append counts as done. Values reach configuration files; keep them stable.</summary>
public enum FsyncMode
{
    /// <summary>Group commit: an append completes only after the batch holding it was fsynced (R1, R2).</summary>
    Always = 0,
    /// <summary>Appends complete once written; a background fsync runs every <see cref="FsyncPolicy.Interval"/>.</summary>
    Interval = 1,
    /// <summary>Appends complete once written; the OS page cache decides when data reaches the disk.</summary>
    Never = 2,
}

/// <summary>The durability knob of a log: <c>always</c>, <c>interval:&lt;ms&gt;</c> or <c>never</c>.</summary>
public readonly record struct FsyncPolicy(FsyncMode Mode, TimeSpan Interval)
{
    public static FsyncPolicy Always => new(FsyncMode.Always, TimeSpan.Zero);

    public static FsyncPolicy Never => new(FsyncMode.Never, TimeSpan.Zero);

    public static FsyncPolicy Every(TimeSpan interval) => new(FsyncMode.Interval, interval);

    /// <summary>Parses <c>always</c>, <c>never</c> or <c>interval:&lt;milliseconds&gt;</c>.</summary>
    /// <exception cref="FormatException">The text is none of those.</exception>
    public static FsyncPolicy Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Equals("always", StringComparison.OrdinalIgnoreCase))
        {
            return Always;
        }

        if (trimmed.Equals("never", StringComparison.OrdinalIgnoreCase))
        {
            return Never;
        }

        const string prefix = "interval:";
        if (trimmed.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && int.TryParse(trimmed.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            && ms > 0)
        {
            return Every(TimeSpan.FromMilliseconds(ms));
        }

        throw new FormatException($"'{text}' is not an fsync policy: use 'always', 'never' or 'interval:<milliseconds>' (milliseconds > 0).");
    }

    /// <summary>What a power loss can cost under this policy (R13); logged at start and shown by /healthz.</summary>
    public string PowerLossExposure => Mode switch
    {
        FsyncMode.Always => "none: every acknowledged append is on disk",
        FsyncMode.Interval => $"appends acknowledged in the last {Interval.TotalMilliseconds:0} ms",
        _ => "any append the OS has not yet written back (typically up to 30 s)",
    };

    public override string ToString() => Mode switch
    {
        FsyncMode.Always => "always",
        FsyncMode.Interval => $"interval:{Interval.TotalMilliseconds:0}",
        _ => "never",
    };
}
