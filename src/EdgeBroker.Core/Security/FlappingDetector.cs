namespace EdgeBroker.Core.Security;

using System.Collections.Concurrent;

/// <summary>
/// Flapping detection in the spirit of EMQX's: a client id that connects more than <see cref="MaxConnects"/> times
/// within <see cref="Window"/> is refused for <see cref="BanTime"/>. A device stuck in a connect/crash loop then
/// costs one refused handshake per attempt instead of a session takeover, a will and presence traffic each time.
/// Off when <see cref="MaxConnects"/> is 0. Memory is bounded: idle entries are swept once the table is large.
/// The same counter keyed by remote IP bans password guessers (<see cref="FileAuthorizer"/>).
/// Thread-safe.
/// </summary>
public sealed class FlappingDetector
{
    private const int SweepThreshold = 10_000;
    private readonly ConcurrentDictionary<string, Entry> _clients = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public FlappingDetector(int maxConnects, TimeSpan window, TimeSpan banTime, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxConnects);
        MaxConnects = maxConnects;
        Window = window;
        BanTime = banTime;
        _time = time ?? TimeProvider.System;
    }

    public static FlappingDetector Disabled { get; } = new(0, TimeSpan.Zero, TimeSpan.Zero);

    public int MaxConnects { get; }

    public TimeSpan Window { get; }

    public TimeSpan BanTime { get; }

    /// <summary>Connects refused so far.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    private long _refused;

    /// <summary>True while <paramref name="key"/> is banned; counts nothing (checked before costly work).</summary>
    public bool IsBanned(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (MaxConnects == 0 || !_clients.TryGetValue(key, out var entry))
        {
            return false;
        }

        lock (entry)
        {
            return entry.BannedUntil > _time.GetUtcNow();
        }
    }

    /// <summary>Records a connect of <paramref name="clientId"/>; false while the id is banned (the connect is refused).</summary>
    public bool TryAdmit(string clientId)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        if (MaxConnects == 0)
        {
            return true;
        }

        var now = _time.GetUtcNow();
        if (_clients.Count > SweepThreshold)
        {
            Sweep(now);
        }

        var entry = _clients.GetOrAdd(clientId, static (_, at) => new Entry(at), now);
        lock (entry)
        {
            if (entry.BannedUntil > now)
            {
                Interlocked.Increment(ref _refused);
                return false;
            }

            if (now - entry.WindowStart > Window)
            {
                entry.WindowStart = now;
                entry.Count = 0;
            }

            entry.Count++;
            if (entry.Count > MaxConnects)
            {
                entry.BannedUntil = now + BanTime;
                entry.Count = 0;
                Interlocked.Increment(ref _refused);
                return false;
            }

            return true;
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (clientId, entry) in _clients)
        {
            lock (entry)
            {
                if (entry.BannedUntil <= now && now - entry.WindowStart > Window)
                {
                    _clients.TryRemove(clientId, out _);
                }
            }
        }
    }

    private sealed class Entry(DateTimeOffset windowStart)
    {
        public DateTimeOffset WindowStart { get; set; } = windowStart;

        public int Count { get; set; }

        public DateTimeOffset BannedUntil { get; set; }
    }
}
