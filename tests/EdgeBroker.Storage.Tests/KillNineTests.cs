namespace EdgeBroker.Storage.Tests;

using System.Diagnostics;
using System.Globalization;

/// <summary>
/// F01/R14 process crash: a child process appends with fsync=always and prints each acknowledged append;
/// it is killed with SIGKILL at a random instant; every printed append must be present byte-exact afterwards.
/// (kill -9 keeps the page cache, so this checks recovery and offsets, not fsync: the power-loss tests do that.)
/// </summary>
[Trait("Category", "Crash")]
public sealed class KillNineTests
{
    [Fact]
    [Trait("Spec", "F01")]
    [Trait("Spec", "R7")]
    public async Task EveryAcknowledgedAppendSurvivesSigkill()
    {
        using var dir = new TempDirectory();
        var acked = new Dictionary<long, string>();
        var random = new Random(42);
        long highest = -1;
        for (var cycle = 0; cycle < 4; cycle++)
        {
            var lines = await RunAndKillAsync(dir.Path, cycle, minLines: 30 + random.Next(200));
            foreach (var (offset, value) in lines)
            {
                Assert.True(offset > highest, $"cycle {cycle}: offset {offset} reused (highest before {highest})");
                acked[offset] = value;
            }

            highest = Math.Max(highest, lines.Count == 0 ? highest : lines.Max(l => l.Offset));
            var options = new LogOptions { SegmentBytes = 16 * 1024, IndexIntervalBytes = 512, MaxRecordBytes = 4096 };
            await using var log = Log.Open(dir.Path, options, out var report);
            Assert.Empty(report.CorruptRanges);
            var present = TestRecords.ReadAll(log).ToDictionary(e => e.Offset, TestRecords.Value);
            foreach (var (offset, value) in acked)
            {
                Assert.True(present.TryGetValue(offset, out var actual), $"cycle {cycle}: acknowledged offset {offset} missing");
                Assert.Equal(value, actual);
            }

            highest = Math.Max(highest, log.EndOffset - 1);
        }

        Assert.True(acked.Count >= 120);
    }

    private static async Task<List<(long Offset, string Value)>> RunAndKillAsync(string directory, int cycle, int minLines)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CrashWriterPath());
        start.ArgumentList.Add(directory);
        start.ArgumentList.Add(cycle.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        var lines = new List<(long, string)>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            var space = e.Data?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
            if (space > 0 && long.TryParse(e.Data.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                lock (lines)
                {
                    lines.Add((offset, e.Data![(space + 1)..]));
                    if (lines.Count >= minLines)
                    {
                        enough.TrySetResult();
                    }
                }
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await enough.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            // SIGKILL on Unix: no finally blocks, no clean-shutdown marker in the child.
            process.Kill();
            await process.WaitForExitAsync();
        }

        lock (lines)
        {
            return [.. lines];
        }
    }

    private static string CrashWriterPath()
    {
        const string name = "EdgeBroker.Storage.CrashWriter";
        var testOutput = AppContext.BaseDirectory;
        var sibling = Path.Combine(testOutput.Replace("EdgeBroker.Storage.Tests", name, StringComparison.Ordinal), name + ".dll");
        if (File.Exists(sibling))
        {
            return sibling;
        }

        for (var dir = new DirectoryInfo(testOutput); dir is not null; dir = dir.Parent)
        {
            var project = Path.Combine(dir.FullName, "tests", name);
            if (Directory.Exists(project))
            {
                var found = Directory.GetFiles(project, name + ".dll", SearchOption.AllDirectories).Where(f => f.Contains("bin", StringComparison.Ordinal)).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
                if (found is not null)
                {
                    return found;
                }
            }
        }

        throw new FileNotFoundException($"{name}.dll not found near {testOutput}; build tests/{name} first.");
    }
}
