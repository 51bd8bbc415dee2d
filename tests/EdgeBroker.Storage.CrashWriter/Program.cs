// Usage: EdgeBroker.Storage.CrashWriter <log directory> <run id>
// Appends records to the log with fsync=always from four concurrent loops and prints one line per
// acknowledged append, "<offset> <value>", flushed immediately. It runs until killed (SIGKILL).
using System.Globalization;
using System.Text;
using EdgeBroker.Storage;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: CrashWriter <log directory> <run id>");
    return 2;
}

var options = new LogOptions { SegmentBytes = 16 * 1024, IndexIntervalBytes = 512, MaxRecordBytes = 4096, Fsync = FsyncPolicy.Always };
var log = Log.Open(args[0], options, out var report);
Console.Error.WriteLine($"recovered: end {report.EndOffset}, clean {report.CleanShutdown}, truncated {report.BytesTruncated}");
var output = Console.Out;
var gate = new object();

async Task AppendLoopAsync(int writer)
{
    for (var i = 0; ; i++)
    {
        var value = string.Create(CultureInfo.InvariantCulture, $"{args[1]}-{writer}-{i}-") + new string((char)('a' + (i % 26)), i % 300);
        var offset = await log.AppendAsync(new LogRecord(Encoding.UTF8.GetBytes($"w{writer}"), Encoding.UTF8.GetBytes(value), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        lock (gate)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{offset} {value}"));
            output.Flush();
        }
    }
}

await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(() => AppendLoopAsync(w))));
return 0;
