namespace EdgeBroker.Core.Topics;

using System.Collections.Concurrent;

/// <summary>
/// A trie of topic levels mapping filters to values, answering "which values' filters match this topic".
/// </summary>
/// <remarks>
/// <para>Design. Each node has literal children keyed by level (a <see cref="Dictionary{TKey,TValue}"/> with an
/// ordinal comparer, probed through its <c>ReadOnlySpan&lt;char&gt;</c> alternate lookup so a match slices the
/// topic string and allocates nothing per level), one <c>+</c> child and one <c>#</c> child. A match walks
/// the literal, <c>+</c> and <c>#</c> branches level by level: O(levels × wildcard branching), never a scan
/// of all filters.</para>
/// <para>Thread-safety: safe for any number of concurrent readers and writers. Writers (Add/Remove) take a
/// <see cref="ReaderWriterLockSlim"/> write lock; a cache miss walks the trie under the read lock. A lock was
/// chosen over copy-on-write nodes because subscriptions often fan out wide at one level (one child per
/// device id): path copying would copy that whole dictionary on every subscribe, O(n²) during a reconnect
/// storm, while a lock keeps a write O(levels). Reader contention on the lock is paid only on cache misses,
/// because hot topics are answered from the lock-free cache below.</para>
/// <para>Match cache (benchmark-free justification): publishers repeat a small set of topics (a sensor
/// publishes to the same topic every few seconds), so memoizing the result array per topic turns the
/// common publish into one hash lookup with zero allocations, and the returned array can be shared by
/// every publisher. It is bounded by <c>cacheCapacity</c> entries (4,096 by default) of topics up to
/// <see cref="MaxCachedTopicLength"/> characters with at most <see cref="MaxCachedResultLength"/> values
/// (tens of MB in the worst case, far less in practice). When full it is cleared wholesale, which keeps
/// inserts O(1) amortized without LRU bookkeeping on the read path, and hot topics repopulate at once. Every Add/Remove bumps a generation counter;
/// entries from an older generation are treated as misses and overwritten, so no stale result is ever
/// returned (an entry is stamped with the generation read under the same read lock that computed it). A Remove
/// also clears the cache, so no cached array keeps a removed value (a closed connection) alive.
/// BenchmarkDotNet will measure hit and miss costs later.</para>
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "ReaderWriterLockSlim holds kernel events only after contention and the tree lives as long as its owner; making every owner disposable buys nothing.")]
public sealed partial class TopicTree<T>
    where T : notnull
{
    public const int DefaultCacheCapacity = 4096;

    /// <summary>
    /// Longer topics are matched but not cached: the cache keeps its keys alive, and 4,096 topics of the
    /// maximum 65,535 bytes would pin half a gigabyte that any publisher could fill with unique long topics.
    /// </summary>
    public const int MaxCachedTopicLength = 512;

    /// <summary>
    /// Larger results are not cached: with thousands of subscribers on <c>#</c> every distinct topic would keep
    /// its own copy of that array. For such a fan-out the deliveries dominate the cost, not the match.
    /// </summary>
    public const int MaxCachedResultLength = 1024;

    [ThreadStatic]
    private static List<T>? t_scratch;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Node _root = new();
    private readonly ConcurrentDictionary<string, CacheEntry> _cache = new(StringComparer.Ordinal);
    private readonly int _cacheCapacity;
    private readonly IComparer<T>? _resultOrder;
    private readonly TopicLimits _limits;
    private long _generation;
    private int _cacheCount;
    private int _count;

    /// <param name="cacheCapacity">Most cached topics; 0 disables the cache.</param>
    /// <param name="resultOrder">Optional order of match results, so callers can group equal keys (e.g. one subscriber).</param>
    /// <param name="limits">Limits filters are validated against on <see cref="Add"/>.</param>
    public TopicTree(int cacheCapacity = DefaultCacheCapacity, IComparer<T>? resultOrder = null, TopicLimits? limits = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cacheCapacity);
        _cacheCapacity = cacheCapacity;
        _resultOrder = resultOrder;
        _limits = limits ?? new TopicLimits { MaxBytes = int.MaxValue, MaxLevels = int.MaxValue };
    }

    /// <summary>Number of (filter, value) entries.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Incremented by every successful Add/Remove.</summary>
    public long Generation => Volatile.Read(ref _generation);

    /// <summary>Cached topics right now (approximate under concurrency; for tests and metrics).</summary>
    public int CachedTopics => Volatile.Read(ref _cacheCount);

    /// <summary>Adds <paramref name="value"/> under a valid, non-shared <paramref name="filter"/>; false if already there.</summary>
    public bool Add(string filter, T value)
    {
        ThrowIfInvalid(filter);
        _lock.EnterWriteLock();
        try
        {
            var node = _root;
            foreach (var range in filter.AsSpan().Split(Topic.Separator))
            {
                node = node.GetOrAddChild(filter.AsSpan(range));
            }

            node.Values ??= [];
            if (!node.Values.Add(value))
            {
                return false;
            }

            _count++;
            Interlocked.Increment(ref _generation);
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes one (filter, value) entry and prunes empty nodes; false if it was not there.</summary>
    public bool Remove(string filter, T value)
    {
        ArgumentNullException.ThrowIfNull(filter);
        _lock.EnterWriteLock();
        try
        {
            if (!RemoveFrom(_root, filter, 0, value))
            {
                return false;
            }

            _count--;
            Interlocked.Increment(ref _generation);

            // Every cached result is stale now anyway (generation); dropping them also drops the cached arrays'
            // references to the removed value: a closed connection and everything still queued for it would
            // otherwise stay alive until its topics happen to be matched again.
            _cache.Clear();
            Volatile.Write(ref _cacheCount, 0);
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Every value whose filter matches the topic name. The span is backed by a cached, immutable array
    /// shared with other callers: it is valid forever but must not be modified. A value added under two
    /// matching filters appears twice.
    /// </summary>
    public ReadOnlySpan<T> Match(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (_cacheCapacity > 0 && _cache.TryGetValue(topic, out var hit) && hit.Generation == Volatile.Read(ref _generation))
        {
            return hit.Items;
        }

        T[] items;
        long generation;
        var scratch = t_scratch ??= [];
        _lock.EnterReadLock();
        try
        {
            generation = Volatile.Read(ref _generation);
            Collect(_root, topic, 0, scratch);
        }
        finally
        {
            _lock.ExitReadLock();
        }

        items = scratch.Count == 0 ? [] : [.. scratch];
        scratch.Clear();
        if (_resultOrder is not null && items.Length > 1)
        {
            Array.Sort(items, _resultOrder);
        }

        if (_cacheCapacity > 0 && topic.Length <= MaxCachedTopicLength && items.Length <= MaxCachedResultLength)
        {
            // Under the read lock and only if still current: a Remove in between must not find a stale entry
            // (with the removed value in it) put back after it cleared the cache.
            _lock.EnterReadLock();
            try
            {
                if (generation == Volatile.Read(ref _generation))
                {
                    Remember(topic, new CacheEntry(generation, items));
                }
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }

        return items;
    }

    /// <summary>Adds every value whose filter matches the topic to <paramref name="collector"/>.</summary>
    public void Match(string topic, ICollection<T> collector)
    {
        ArgumentNullException.ThrowIfNull(collector);
        foreach (var item in Match(topic))
        {
            collector.Add(item);
        }
    }

    /// <summary>Every (filter, value) entry, for listing and persistence. Takes the read lock.</summary>
    public IReadOnlyList<KeyValuePair<string, T>> Entries()
    {
        var result = new List<KeyValuePair<string, T>>();
        _lock.EnterReadLock();
        try
        {
            _root.CollectEntries(null, result);
        }
        finally
        {
            _lock.ExitReadLock();
        }

        return result;
    }

    /// <summary>
    /// Walks one topic level starting at <paramref name="start"/>; <c>start &gt; topic.Length</c> means every
    /// level was consumed. Recursion depth is bounded by the number of levels (validated on publish).
    /// </summary>
    private static void Collect(Node node, string topic, int start, List<T> results)
    {
        if (start > topic.Length)
        {
            node.AddValuesTo(results);

            // "a/#" matches "a": '#' also stands for the parent level.
            node.Hash?.AddValuesTo(results);
            return;
        }

        // [MQTT-4.7.2-1] a wildcard in the first level never matches a topic starting with '$'.
        var wildcardsAllowed = start != 0 || topic.Length == 0 || topic[0] != '$';
        var end = topic.AsSpan(start).IndexOf(Topic.Separator);
        end = end < 0 ? topic.Length : start + end;
        var next = end + 1;

        if (wildcardsAllowed)
        {
            node.Hash?.AddValuesTo(results);
            if (node.Plus is { } plus)
            {
                Collect(plus, topic, next, results);
            }
        }

        if (node.TryGetChild(topic.AsSpan(start, end - start), out var child))
        {
            Collect(child, topic, next, results);
        }
    }

    private static bool RemoveFrom(Node node, string filter, int start, T value)
    {
        if (start > filter.Length)
        {
            return node.Values is not null && node.Values.Remove(value);
        }

        var end = filter.AsSpan(start).IndexOf(Topic.Separator);
        end = end < 0 ? filter.Length : start + end;
        var level = filter.AsSpan(start, end - start);
        if (!node.TryGetChildForWrite(level, out var child) || !RemoveFrom(child, filter, end + 1, value))
        {
            return false;
        }

        if (child.IsEmpty)
        {
            node.RemoveChild(level);
        }

        return true;
    }

    private void Remember(string topic, CacheEntry entry)
    {
        if (_cache.TryGetValue(topic, out _))
        {
            _cache[topic] = entry;
            return;
        }

        if (Interlocked.Increment(ref _cacheCount) > _cacheCapacity)
        {
            // Full: start over rather than track recency on the read path (see the remarks above).
            _cache.Clear();
            Volatile.Write(ref _cacheCount, 1);
        }

        _cache[topic] = entry;
    }

    private void ThrowIfInvalid(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var error = TopicFilter.Validate(filter, _limits, allowShared: false);
        if (error != TopicError.None)
        {
            throw new ArgumentException(Topic.Describe(error, _limits), nameof(filter));
        }
    }

    private sealed record CacheEntry(long Generation, T[] Items);
}
