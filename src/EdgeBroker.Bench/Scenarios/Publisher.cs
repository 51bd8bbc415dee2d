namespace EdgeBroker.Bench.Scenarios;

using System.Diagnostics;
using EdgeBroker.Bench.Clients;
using EdgeBroker.Bench.Stats;

/// <summary>
/// One publishing connection driven by its own thread. Before each message it takes a permit from the
/// acknowledgement window (QoS ≥ 1 / receipts: released by PUBACK, PUBCOMP, RECEIPT) and from the end-to-end
/// window (released when the primary receiver got the message), so the broker is never flooded beyond
/// <see cref="BenchOptions.Inflight"/> messages per publisher and what is measured is sustained throughput.
/// A QoS 0 message may be lost, so the end-to-end wait gives up after 200 ms (counted as a stall).
/// Messages are written in batches of what the windows and the schedule allow, one send per batch.
/// </summary>
public sealed class Publisher : IAckSink, IDisposable
{
    private const int MaxBatch = 32;
    private static readonly TimeSpan LossTolerance = TimeSpan.FromMilliseconds(200);

    private readonly BenchRun _run;
    private readonly RateSchedule _schedule;
    private readonly SemaphoreSlim? _ackWindow;
    private readonly SemaphoreSlim? _endToEndWindow;
    private readonly bool _recordAckLatency;
    private readonly long[] _sentTicks = new long[65536];
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private long _sequence;

    public Publisher(int id, BenchClient client, BenchRun run, RateSchedule schedule, int inflight, bool acknowledged, bool endToEnd, bool recordAckLatency)
    {
        Id = id;
        Client = client;
        _run = run;
        _schedule = schedule;
        _recordAckLatency = recordAckLatency;
        if (acknowledged)
        {
            _ackWindow = new SemaphoreSlim(Math.Min(inflight, client.BrokerReceiveMaximum));
            client.Acks = this;
        }

        if (endToEnd)
        {
            _endToEndWindow = new SemaphoreSlim(inflight);
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "publisher-" + id };
    }

    public int Id { get; }

    public BenchClient Client { get; }

    /// <summary>Messages written so far (they carry sequence numbers 0 … Sent−1).</summary>
    public long Sent => Volatile.Read(ref _sequence);

    public Exception? Failure { get; private set; }

    public void Start() => _thread.Start();

    public void Stop()
    {
        _stop.Cancel();
        _thread.Join();
    }

    public void OnAck(long token, long receivedTicks)
    {
        _run.AddAcked();
        if (_recordAckLatency)
        {
            _run.RecordLatency(Volatile.Read(ref _sentTicks[token & 0xFFFF]), receivedTicks);
        }

        _ackWindow?.Release();
    }

    public void ReleaseEndToEnd() => _endToEndWindow?.Release();

    public void Dispose()
    {
        _stop.Dispose();
        _ackWindow?.Dispose();
        _endToEndWindow?.Dispose();
    }

    private void Run()
    {
        NativeTiming.TightenTimerSlack();
        try
        {
            var token = _stop.Token;
            while (!token.IsCancellationRequested)
            {
                var allowed = MaxBatch;
                if (_schedule.IsFixedRate)
                {
                    var now = Stopwatch.GetTimestamp();
                    var due = _schedule.DueBy(now);
                    if (_sequence >= due)
                    {
                        var wait = _schedule.IntendedTicks(_sequence, now) - now;
                        NativeTiming.SleepMicros(wait * 1_000_000 / Stopwatch.Frequency);
                        continue;
                    }

                    allowed = (int)Math.Min(MaxBatch, due - _sequence);
                }

                if (!TakePermit(token))
                {
                    break;
                }

                var count = 1;
                while (count < allowed && TryTakePermit())
                {
                    count++;
                }

                Write(count);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            Failure = e;
        }
    }

    private void Write(int count)
    {
        var connection = Client.Connection;
        lock (connection.WriteGate)
        {
            for (var i = 0; i < count; i++)
            {
                var now = Stopwatch.GetTimestamp();
                var intended = _schedule.IntendedTicks(_sequence, now);
                var payload = Client.AppendPublish(out var ackToken);
                if (ackToken >= 0)
                {
                    Volatile.Write(ref _sentTicks[ackToken & 0xFFFF], intended);
                }

                PayloadStamp.Write(payload, Id, _sequence, intended);
                Volatile.Write(ref _sequence, _sequence + 1);
            }

            connection.FlushLocked();
        }

        _run.AddSent(count);
    }

    private bool TakePermit(CancellationToken token)
    {
        if (_ackWindow is not null)
        {
            _ackWindow.Wait(token);
        }

        if (_endToEndWindow is not null && !_endToEndWindow.Wait(_ackWindow is null ? LossTolerance : TimeSpan.FromSeconds(5), token))
        {
            _run.AddStall();
        }

        return !token.IsCancellationRequested;
    }

    private bool TryTakePermit()
    {
        if (_ackWindow is not null && !_ackWindow.Wait(0))
        {
            return false;
        }

        if (_endToEndWindow is not null && !_endToEndWindow.Wait(0))
        {
            _ackWindow?.Release();
            return false;
        }

        return true;
    }
}
