namespace EdgeBroker.Storage.Tests;

using System.Text;

/// <summary>Deterministic records for tests: key "k{i % keys}", value "value-{i}" padded, timestamp 1000 + i.</summary>
internal static class TestRecords
{
    public static LogRecord Make(int i, int keys = 1000, int padding = 0) =>
        new(Encoding.UTF8.GetBytes($"k{i % keys}"), Encoding.UTF8.GetBytes($"value-{i}" + new string('x', padding)), 1000 + i);

    public static string Value(LogEntry entry) => Encoding.UTF8.GetString(entry.Value.Span);

    public static string Key(LogEntry entry) => Encoding.UTF8.GetString(entry.Key.Span);

    /// <summary>Reads every readable record from the start, skipping quarantined ranges.</summary>
    public static List<LogEntry> ReadAll(Log log)
    {
        var all = new List<LogEntry>();
        var offset = log.StartOffset;
        while (offset < log.ReadableEndOffset)
        {
            IReadOnlyList<LogEntry> batch;
            try
            {
                batch = log.Read(offset, 1000);
            }
            catch (LogCorruptedException ex)
            {
                offset = ex.EndOffset;
                continue;
            }

            if (batch.Count == 0)
            {
                break;
            }

            all.AddRange(batch);
            offset = batch[^1].Offset + 1;
        }

        return all;
    }
}
