namespace EdgeBroker.Server.Hosting;

using System.Text;
using System.Text.Json;
using EdgeBroker.Core.Persistence;
using EdgeBroker.Core.Routing;
using EdgeBroker.Storage;

/// <summary>
/// The durable <see cref="ITopologyStore"/>: declarations on a compacted <see cref="KeyValueLog"/>, one key per
/// declaration so an upsert or delete is one record and compaction keeps only the latest.
/// <code>
///  key                                                        value (UTF-8 JSON, TopologyJsonContext)
///  exchange:&lt;name&gt;                                            {"name","type"}
///  queue:&lt;name&gt;                                               {"name","options":{…}}
///  binding:&lt;exchange&gt;\0&lt;pattern&gt;\0&lt;kind&gt;\0&lt;target&gt;[\0k=v…]   {"exchange","pattern","targetKind","target","headerArguments"}
/// </code>
/// NUL separates the binding identity: it cannot occur in topics, filters or names. Header arguments are sorted
/// so the key is the identity of <see cref="BindingSpecComparer"/>.
/// Every write completes once durable under the log's fsync policy (the interface is synchronous; topology
/// changes are rare, so the caller's thread waits for the append).
/// Thread-safety: <see cref="KeyValueLog"/> is thread-safe; the broker serializes topology changes anyway.
/// </summary>
internal sealed class KeyValueTopologyStore : ITopologyStore, IAsyncDisposable
{
    private const string ExchangePrefix = "exchange:";
    private const string QueuePrefix = "queue:";
    private const string BindingPrefix = "binding:";

    private readonly KeyValueLog _log;

    private KeyValueTopologyStore(KeyValueLog log) => _log = log;

    public string Directory => _log.Directory;

    public long SizeBytes => _log.SizeBytes;

    public bool IsReadOnly => _log.IsReadOnly;

    /// <summary>Entries that could not be decoded on load (kept on disk, ignored).</summary>
    public int UnreadableEntries { get; private set; }

    public static KeyValueTopologyStore Open(string directory, LogOptions options, out RecoveryReport report) =>
        new(KeyValueLog.Open(directory, options, out report));

    public TopologySnapshot Load()
    {
        var exchanges = new List<ExchangeDeclaration>();
        var queues = new List<QueueDeclaration>();
        var bindings = new List<BindingSpec>();
        var unreadable = 0;
        foreach (var (key, value) in _log.Snapshot().OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            try
            {
                if (key.StartsWith(ExchangePrefix, StringComparison.Ordinal))
                {
                    exchanges.Add(JsonSerializer.Deserialize(value.Span, TopologyJsonContext.Default.ExchangeDeclaration)!);
                }
                else if (key.StartsWith(QueuePrefix, StringComparison.Ordinal))
                {
                    queues.Add(JsonSerializer.Deserialize(value.Span, TopologyJsonContext.Default.QueueDeclaration)!);
                }
                else if (key.StartsWith(BindingPrefix, StringComparison.Ordinal))
                {
                    bindings.Add(JsonSerializer.Deserialize(value.Span, TopologyJsonContext.Default.BindingSpec)!);
                }
                else
                {
                    unreadable++;
                }
            }
            catch (JsonException)
            {
                unreadable++;
            }
        }

        UnreadableEntries = unreadable;
        return new TopologySnapshot(exchanges, bindings, queues);
    }

    public void SaveExchange(ExchangeDeclaration exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        Set(ExchangePrefix + exchange.Name, JsonSerializer.SerializeToUtf8Bytes(exchange, TopologyJsonContext.Default.ExchangeDeclaration));
    }

    public void DeleteExchange(string name) => Delete(ExchangePrefix + name);

    public void SaveBinding(BindingSpec binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        Set(BindingKey(binding), JsonSerializer.SerializeToUtf8Bytes(binding, TopologyJsonContext.Default.BindingSpec));
    }

    public void DeleteBinding(BindingSpec binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        Delete(BindingKey(binding));
    }

    public void SaveQueue(QueueDeclaration queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        Set(QueuePrefix + queue.Name, JsonSerializer.SerializeToUtf8Bytes(queue, TopologyJsonContext.Default.QueueDeclaration));
    }

    public void DeleteQueue(string name) => Delete(QueuePrefix + name);

    public ValueTask DisposeAsync() => _log.DisposeAsync();

    internal static string BindingKey(BindingSpec binding)
    {
        var key = new StringBuilder(BindingPrefix)
            .Append(binding.Exchange).Append('\0')
            .Append(binding.Pattern).Append('\0')
            .Append((int)binding.TargetKind).Append('\0')
            .Append(binding.Target);
        if (binding.HeaderArguments is { Count: > 0 } args)
        {
            foreach (var (name, value) in args.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                key.Append('\0').Append(name).Append('=').Append(value);
            }
        }

        return key.ToString();
    }

    private void Set(string key, byte[] value) => _log.SetAsync(key, value).AsTask().GetAwaiter().GetResult();

    private void Delete(string key) => _log.DeleteAsync(key).AsTask().GetAwaiter().GetResult();
}
