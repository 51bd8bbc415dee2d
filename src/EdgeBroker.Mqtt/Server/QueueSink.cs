namespace EdgeBroker.Mqtt.Server;

using EdgeBroker.Core.Queues;

/// <summary>
/// The consumer side of one core queue a connection reads: its persistent session queue, or a
/// <c>$share/&lt;group&gt;/&lt;filter&gt;</c> group queue (<see cref="Shared"/>). Deliveries go into the connection's
/// outbound path; acknowledgements go back to the queue once PUBACK/PUBCOMP arrived (or once written for QoS 0).
/// The queue may deliver from inside <c>Consume</c>, before the consumer object exists, so acks wait for it.
/// Thread-safe.
/// </summary>
internal sealed class QueueSink : IQueueDeliveryTarget, IMqttDeliverySink, IDisposable
{
    private readonly MqttConnection _connection;
    private readonly TaskCompletionSource<IQueueConsumer> _consumer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public QueueSink(MqttConnection connection, string queue, MqttSessionSubscription? shared)
    {
        _connection = connection;
        Queue = queue;
        Shared = shared;
    }

    public string Queue { get; }

    /// <summary>The shared subscription this sink serves; null for the session queue.</summary>
    public MqttSessionSubscription? Shared { get; }

    public bool TryDeliver(QueueDelivery delivery) => _connection.DeliverFromQueue(this, delivery);

    public void Attach(IQueueConsumer consumer) => _consumer.TrySetResult(consumer);

    /// <summary>Removes the message from the queue (fire and forget: a lost ack means a redelivery, R5).</summary>
    public void Ack(long deliveryTag) => _ = AckAsync(deliveryTag);

    public void Dispose()
    {
        if (_consumer.Task.IsCompletedSuccessfully)
        {
            // Unacknowledged deliveries go back to the queue, marked redelivered ([MQTT-4.4.0-1] DUP on resend).
            _consumer.Task.Result.Dispose();
        }
        else
        {
            _consumer.TrySetCanceled();
        }
    }

    private async Task AckAsync(long deliveryTag)
    {
        try
        {
            var consumer = await _consumer.Task.ConfigureAwait(false);
            await consumer.AckAsync(deliveryTag).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or InvalidOperationException or IOException or ArgumentException or KeyNotFoundException)
        {
            // The consumer is gone (connection closed): the message is redelivered, which at-least-once allows.
        }
    }
}
