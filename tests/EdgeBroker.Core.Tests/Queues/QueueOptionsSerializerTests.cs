namespace EdgeBroker.Core.Tests.Queues;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;

[Trait("Category", "Unit")]
public sealed class QueueOptionsSerializerTests
{
    [Fact]
    public void DefaultsEncodeInTheFrozenVersion1Layout()
    {
        // version 1, flags = DeliveryLimit present, overflow 0, delivery limit 10
        Assert.Equal("010400" + "0A000000", Convert.ToHexString(QueueOptionsSerializer.Serialize(new QueueOptions())));
    }

    [Fact]
    public void RoundTripsEverySetting()
    {
        var options = new QueueOptions
        {
            MaxLength = 12345,
            Overflow = QueueOverflow.DropHead,
            MessageTtl = TimeSpan.FromMilliseconds(1500),
            DeliveryLimit = null,
            DeadLetterQueue = "parking.lot",
            AutoDelete = true,
        };

        Assert.Equal(options, QueueOptionsSerializer.Deserialize(QueueOptionsSerializer.Serialize(options)));
        var dropping = new QueueOptions { DeadLetterQueue = "" };
        Assert.Equal(dropping, QueueOptionsSerializer.Deserialize(QueueOptionsSerializer.Serialize(dropping)));
    }

    [Fact]
    public void RejectsTruncatedOrForeignBytes()
    {
        var bytes = QueueOptionsSerializer.Serialize(new QueueOptions { MaxLength = 1, DeadLetterQueue = "x" });
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<MessageFormatException>(() => QueueOptionsSerializer.Deserialize(bytes.AsSpan(0, length)));
        }

        Assert.Throws<MessageFormatException>(() => QueueOptionsSerializer.Deserialize([2, 0, 0]));
    }
}
