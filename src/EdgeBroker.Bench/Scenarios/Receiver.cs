namespace EdgeBroker.Bench.Scenarios;

using EdgeBroker.Bench.Clients;
using EdgeBroker.Bench.Stats;

/// <summary>
/// Counts what one subscriber (or one group of competing consumers sharing <paramref name="trackers"/>) receives:
/// per publisher sequence tracking for loss and duplicates, end-to-end latency, and, when it is the publishers'
/// primary receiver, the release of their end-to-end windows. Called on the client's read loop.
/// </summary>
public sealed class Receiver(BenchRun run, SequenceTracker[] trackers, bool releasesWindows) : IMessageSink
{
    public SequenceTracker[] Trackers { get; } = trackers;

    public void OnMessage(ReadOnlySpan<byte> payload, long receivedTicks)
    {
        if (!PayloadStamp.TryRead(payload, out var publisher, out var sequence, out var intended) || (uint)publisher >= (uint)Trackers.Length)
        {
            run.AddUnknown();
            return;
        }

        run.AddReceived();
        var fresh = Trackers[publisher].Record(sequence);
        if (fresh)
        {
            run.RecordLatency(intended, receivedTicks);
        }

        if (releasesWindows && fresh)
        {
            run.Publishers[publisher].ReleaseEndToEnd();
        }
    }
}
