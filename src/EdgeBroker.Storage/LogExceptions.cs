namespace EdgeBroker.Storage;

/// <summary>An append was not made durable (write or fsync error, log read-only, disposed). Never acknowledge it.</summary>
public sealed class LogWriteException : IOException
{
    public LogWriteException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>A read touched a quarantined range (R8).</summary>
public sealed class LogCorruptedException : IOException
{
    public LogCorruptedException(CorruptRange range)
        : base($"offsets {range.StartOffset}..{range.EndOffset} of {range.SegmentFile} are unreadable: {range.Reason}")
    {
        Range = range;
    }

    public CorruptRange Range { get; }

    /// <summary>The first offset after the quarantined range (exclusive end): resume reading here.</summary>
    public long EndOffset => Range.EndOffset;
}
