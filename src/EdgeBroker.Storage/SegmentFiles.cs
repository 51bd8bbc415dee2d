namespace EdgeBroker.Storage;

using System.Globalization;

/// <summary>
/// File names inside a log directory. A segment is named by its base offset, 20 digits zero-padded:
/// <c>00000000000000000000.log</c>, <c>.index</c>, <c>.timeindex</c>. Protocol leftovers carry an extra suffix
/// (<c>.deleted</c>, <c>.cleaned</c>, <c>.tmp</c>). Thread-safety: stateless.
/// </summary>
internal static class SegmentFiles
{
    public const string LogExtension = ".log";
    public const string IndexExtension = ".index";
    public const string TimeIndexExtension = ".timeindex";
    public const string DeletedSuffix = ".deleted";
    public const string CleanedSuffix = ".cleaned";
    public const string CleanShutdownFile = "clean-shutdown";
    public const string RecoveryPointFile = "recovery-point";
    public const string CompactionSwapFile = "compaction.swap";

    public static readonly string[] Extensions = [LogExtension, IndexExtension, TimeIndexExtension];

    public static string Name(long baseOffset, string extension) => baseOffset.ToString("D20", CultureInfo.InvariantCulture) + extension;

    public static string PathOf(string directory, long baseOffset, string extension) => Path.Combine(directory, Name(baseOffset, extension));

    /// <summary>Parses <c>&lt;20 digits&gt;&lt;extension&gt;</c>; false for anything else.</summary>
    public static bool TryParse(string fileName, string extension, out long baseOffset)
    {
        baseOffset = 0;
        return fileName.Length == 20 + extension.Length
            && fileName.EndsWith(extension, StringComparison.Ordinal)
            && long.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset);
    }
}
