namespace EdgeBroker.Storage;

/// <summary>A corrupt range plus the file position where valid batches resume (-1: the end of the segment).</summary>
internal sealed record Quarantine(CorruptRange Range, long ResumePosition);
