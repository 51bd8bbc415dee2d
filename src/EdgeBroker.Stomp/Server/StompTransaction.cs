namespace EdgeBroker.Stomp.Server;

/// <summary>
/// The operations of one BEGIN … COMMIT, buffered in order and run at COMMIT; dropped at ABORT or disconnect.
/// Owned by the connection's read loop; not thread-safe.
/// </summary>
internal sealed class StompTransaction
{
    private readonly List<Func<CancellationToken, ValueTask>> _operations = [];
    private readonly int _maxOperations;

    public StompTransaction(string id, int maxOperations)
    {
        Id = id;
        _maxOperations = maxOperations;
    }

    public string Id { get; }

    public int Count => _operations.Count;

    /// <summary>False when the transaction is full.</summary>
    public bool TryAdd(Func<CancellationToken, ValueTask> operation)
    {
        if (_operations.Count >= _maxOperations)
        {
            return false;
        }

        _operations.Add(operation);
        return true;
    }

    /// <summary>Runs every operation in order; the first failure stops the commit and propagates.</summary>
    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        foreach (var operation in _operations)
        {
            await operation(cancellationToken).ConfigureAwait(false);
        }

        _operations.Clear();
    }
}
