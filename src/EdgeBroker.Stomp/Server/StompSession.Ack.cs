namespace EdgeBroker.Stomp.Server;

using EdgeBroker.Stomp.Codec;

/// <summary>
/// ACK / NACK and BEGIN / COMMIT / ABORT.
/// <code>
///  ack id = MESSAGE message-id (= its ack header in 1.2) = &lt;n&gt;-&lt;subscription id&gt;
///  ack:client             ACK n  → every outstanding delivery of the subscription up to n (cumulative)
///  ack:client-individual  ACK n  → exactly n
///  NACK n (any mode)      → n requeued (redelivered, delivery-count + 1; DLQ after the delivery limit);
///                           requeue:false dead-letters it at once
///  /topic/ subscriptions  → accepted and ignored (live delivery is at-most-once)
/// </code>
/// </summary>
public sealed partial class StompSession
{
    private const string RequeueHeader = "requeue";

    private readonly Dictionary<string, StompTransaction> _transactions = new(StringComparer.Ordinal);

    private async ValueTask AckOrNackAsync(StompFrame frame)
    {
        AssertConnected();
        var receipt = frame.Get(StompHeaderNames.Receipt);

        // [STOMP 1.2 ACK] id; 1.0 and 1.1 use message-id (1.1 adds subscription, which the id already encodes).
        var ackId = frame.Get(StompHeaderNames.Id) ?? frame.Get(StompHeaderNames.MessageId);
        if (!StompAckId.TryParse(ackId, AckIdPrefix, out var tag, out var subscriptionId))
        {
            throw new StompSessionException("invalid ack id", StompCloseReason.ProtocolError, receipt, "ACK and NACK take the ack header (1.2) or message-id (1.0, 1.1) of a MESSAGE.");
        }

        var isAck = frame.Command == StompCommand.Ack;
        var requeue = !string.Equals(frame.Get(RequeueHeader), "false", StringComparison.OrdinalIgnoreCase);
        if (frame.Get(StompHeaderNames.Transaction) is { } transaction)
        {
            GetTransaction(transaction, receipt).Add(_ => SettleAsync(subscriptionId, tag, isAck, requeue));
        }
        else
        {
            await SettleAsync(subscriptionId, tag, isAck, requeue).ConfigureAwait(false);
        }

        SendReceipt(receipt);
    }

    /// <summary>An unknown subscription (already unsubscribed) or tag (already settled) is ignored: late acks are normal.</summary>
    private async ValueTask SettleAsync(string subscriptionId, long tag, bool isAck, bool requeue)
    {
        if (_subscriptions.TryGetValue(subscriptionId, out var streamSubscription) && streamSubscription.Stream is not null)
        {
            await SettleStreamAsync(streamSubscription, tag, isAck).ConfigureAwait(false);
            return;
        }

        if (!_subscriptions.TryGetValue(subscriptionId, out var subscription) || subscription.Consumer is not { } consumer || subscription.AckMode == StompAckMode.Auto)
        {
            return;
        }

        if (!isAck)
        {
            await consumer.NackAsync(tag, requeue).ConfigureAwait(false);
        }
        else if (subscription.AckMode == StompAckMode.Client)
        {
            await consumer.AckUpToAsync(tag).ConfigureAwait(false);
        }
        else
        {
            await consumer.AckAsync(tag).ConfigureAwait(false);
        }
    }

    private void Begin(StompFrame frame)
    {
        AssertConnected();
        var receipt = frame.Get(StompHeaderNames.Receipt);
        var id = RequireTransactionId(frame, receipt);
        if (_transactions.ContainsKey(id))
        {
            throw new StompSessionException("transaction already started", StompCloseReason.ProtocolError, receipt);
        }

        if (_transactions.Count >= _options.MaxTransactions)
        {
            throw new StompSessionException("too many open transactions", StompCloseReason.Refused, receipt);
        }

        _transactions.Add(id, new StompTransaction(id, _options.MaxTransactionOperations));
        SendReceipt(receipt);
    }

    private async ValueTask CommitAsync(StompFrame frame, CancellationToken cancellationToken)
    {
        AssertConnected();
        var receipt = frame.Get(StompHeaderNames.Receipt);
        var id = RequireTransactionId(frame, receipt);
        if (!_transactions.Remove(id, out var transaction))
        {
            throw new StompSessionException("unknown transaction", StompCloseReason.ProtocolError, receipt);
        }

        try
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StompSessionException ex)
        {
            // A publish in the transaction was refused: answer the COMMIT (its receipt) with the reason.
            throw new StompSessionException(ex.Message, ex.Reason, receipt, ex.Detail);
        }

        SendReceipt(receipt);
    }

    private void Abort(StompFrame frame)
    {
        AssertConnected();
        var receipt = frame.Get(StompHeaderNames.Receipt);
        if (!_transactions.Remove(RequireTransactionId(frame, receipt)))
        {
            throw new StompSessionException("unknown transaction", StompCloseReason.ProtocolError, receipt);
        }

        SendReceipt(receipt);
    }

    private TransactionBuffer GetTransaction(string id, string? receipt) =>
        _transactions.TryGetValue(id, out var transaction)
            ? new TransactionBuffer(transaction, receipt)
            : throw new StompSessionException("unknown transaction", StompCloseReason.ProtocolError, receipt);

    private static string RequireTransactionId(StompFrame frame, string? receipt) =>
        frame.Get(StompHeaderNames.Transaction) is { Length: > 0 } id
            ? id
            : throw new StompSessionException("missing transaction header", StompCloseReason.ProtocolError, receipt);

    /// <summary>Adds to a transaction, turning "full" into an ERROR that names the frame's receipt.</summary>
    private readonly record struct TransactionBuffer(StompTransaction Transaction, string? Receipt)
    {
        public void Add(Func<CancellationToken, ValueTask> operation)
        {
            if (!Transaction.TryAdd(operation))
            {
                throw new StompSessionException("transaction too large", StompCloseReason.Refused, Receipt);
            }
        }
    }
}
