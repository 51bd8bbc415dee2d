namespace EdgeBroker.Bench.Scenarios;

using System.Diagnostics;
using System.Globalization;

/// <summary>
/// The live progress line on stderr, at most once a second: rewritten in place (CR) on a terminal, one line per
/// report when stderr is redirected, nothing when disabled. Single-threaded (the measuring loop).
/// </summary>
public sealed class ProgressReporter(TextWriter output, bool enabled)
{
    private readonly bool _inPlace = !Console.IsErrorRedirected;
    private long _lastTicks;
    private long _lastSent;
    private long _lastReceived;

    public void Report(BenchRun run, string phase)
    {
        if (!enabled)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        var elapsed = (double)(now - _lastTicks) / Stopwatch.Frequency;
        if (_lastTicks != 0 && elapsed < 0.9)
        {
            return;
        }

        var sent = run.Sent;
        var received = run.Received;
        var outRate = _lastTicks == 0 ? 0 : (sent - _lastSent) / elapsed;
        var inRate = _lastTicks == 0 ? 0 : (received - _lastReceived) / elapsed;
        var since = run.StartTicks == long.MaxValue ? 0 : (double)(now - run.StartTicks) / Stopwatch.Frequency;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"[{since,6:F1}s {phase,-7}] out {outRate,9:N0}/s  in {inRate,9:N0}/s  sent {sent:N0}  recv {received:N0}  p50 {run.Latency.Percentile(50)}µs  p99 {run.Latency.Percentile(99)}µs");
        if (_inPlace)
        {
            output.Write("\r" + line.PadRight(110));
        }
        else
        {
            output.WriteLine(line);
        }

        _lastTicks = now;
        _lastSent = sent;
        _lastReceived = received;
    }

    public void Finish()
    {
        if (enabled && _inPlace)
        {
            output.WriteLine();
        }
    }
}
