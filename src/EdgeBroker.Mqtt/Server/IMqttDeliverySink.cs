namespace EdgeBroker.Mqtt.Server;

/// <summary>
/// Where a finished delivery is settled: a core queue (<see cref="QueueSink"/>) or a stream subscription
/// (<see cref="MqttStreamSubscription"/>). Called once per delivery when PUBACK/PUBCOMP arrived, when a QoS 0
/// PUBLISH was written, or when the delivery was dropped (expired, too large). Thread-safe, never blocks.
/// </summary>
internal interface IMqttDeliverySink
{
    void Ack(long deliveryTag);
}
