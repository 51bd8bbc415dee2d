namespace EdgeBroker.Server.Tests.Hub;

using System.Threading.Channels;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Security;
using EdgeBroker.Server.Hub;
using EdgeBroker.Server.Hub.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;

/// <summary>The per-connection bounded outbound channel: a browser that stops reading costs drops, never a blocked publisher.</summary>
[Trait("Category", "Unit")]
public sealed class HubSubscriberTests
{
    private static readonly ClientIdentity Client = new(ProtocolKind.SignalR, "c1", null, null);

    [Fact]
    public async Task AFullChannelDropsAndCountsLiveMessagesWithoutBlockingThePublisher()
    {
        const int capacity = 8;
        var proxy = new GatedProxy();
        var counters = new HubCounters();
        var subscriber = new HubSubscriber(Client, "c1", proxy, counters, NullLogger.Instance, capacity);
        subscriber.Start();
        var subscription = new TaggedSubscription(subscriber, "s1");

        // The first message is taken by the writer, which then waits on the (gated) send: the browser is "slow".
        Assert.True(Deliver(subscriber, subscription, 0));
        await proxy.FirstSendStarted.WaitAsync(TimeSpan.FromSeconds(10));

        // Exactly `capacity` more fit; every further one is refused at once and counted.
        var accepted = Enumerable.Range(1, capacity + 5).Count(i => Deliver(subscriber, subscription, i));
        Assert.Equal(capacity, accepted);
        Assert.Equal(5, subscriber.Dropped);
        Assert.Equal(5, counters.Dropped);

        // Once the browser reads again, everything that was accepted arrives, in order.
        proxy.Release();
        await proxy.WaitForAsync(capacity + 1);
        Assert.Equal(Enumerable.Range(0, capacity + 1).Select(i => "m" + i), proxy.Sent.Select(s => ((HubMessage)s.Payload!).Payload));
        Assert.All(proxy.Sent, s => Assert.Equal("message", s.Method));
        await subscriber.DisposeAsync();
    }

    [Fact]
    public async Task OneEventPerMatchedSubscriptionCarriesItsIdAndRetainedFlag()
    {
        var proxy = new GatedProxy();
        proxy.Release();
        var subscriber = new HubSubscriber(Client, "c1", proxy, new HubCounters(), NullLogger.Instance);
        subscriber.Start();
        var message = new Message { Topic = "a/b", Payload = new byte[] { 0xFF, 0x00 }, Origin = new MessageOrigin(ProtocolKind.Mqtt, "dev"), Headers = [new("k", "v")] };
        ISubscription[] matched = [new TaggedSubscription(subscriber, "s1"), new TaggedSubscription(subscriber, "s2")];
        Assert.True(subscriber.TryDeliver(message, matched, isRetained: true));

        await proxy.WaitForAsync(2);
        var events = proxy.Sent.Select(s => (HubMessage)s.Payload!).ToList();
        Assert.Equal(["s1", "s2"], events.Select(e => e.SubscriptionId));
        Assert.All(events, e =>
        {
            Assert.True(e.Retained);
            Assert.Equal("mqtt", e.Protocol);
            Assert.Equal("base64", e.Encoding);
            Assert.Equal("/wA=", e.Payload);
            Assert.Equal("v", e.Headers["k"]);
        });
        await subscriber.DisposeAsync();
    }

    [Fact]
    public async Task DisposingEndsEverySubscriptionOfTheConnection()
    {
        var subscriber = new HubSubscriber(Client, "c1", new GatedProxy(), new HubCounters(), NullLogger.Instance);
        subscriber.Start();
        var first = new TaggedSubscription(subscriber, subscriber.NextId());
        var second = new TaggedSubscription(subscriber, subscriber.NextId());
        subscriber.Add((string)first.Options.Tag!, first);
        subscriber.Add((string)second.Options.Tag!, second);
        Assert.Equal(2, subscriber.SubscriptionCount);
        Assert.NotEqual(first.Options.Tag, second.Options.Tag);

        Assert.True(subscriber.Remove((string)first.Options.Tag!));
        Assert.True(first.Disposed);
        await subscriber.DisposeAsync();
        Assert.True(second.Disposed);
        Assert.True(subscriber.Closed.IsCancellationRequested);
    }

    private static bool Deliver(HubSubscriber subscriber, ISubscription subscription, int i) =>
        subscriber.TryDeliver(new Message { Topic = "t", Payload = System.Text.Encoding.UTF8.GetBytes("m" + i) }, [subscription], isRetained: false);

    private sealed class TaggedSubscription(ISubscriber subscriber, string id) : ISubscription
    {
        public ISubscriber Subscriber { get; } = subscriber;

        public string Filter => "#";

        public SubscriptionOptions Options { get; } = new() { Tag = id };

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    /// <summary>A client proxy whose sends wait until released, like a browser that stopped reading.</summary>
    private sealed class GatedProxy : IClientProxy
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _firstSend = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Channel<int> _progress = Channel.CreateUnbounded<int>();
        private readonly List<(string Method, object? Payload)> _sent = [];

        public Task FirstSendStarted => _firstSend.Task;

        public IReadOnlyList<(string Method, object? Payload)> Sent
        {
            get
            {
                lock (_sent)
                {
                    return [.. _sent];
                }
            }
        }

        public void Release() => _released.TrySetResult();

        public async Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
        {
            _firstSend.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
            int count;
            lock (_sent)
            {
                _sent.Add((method, args[0]));
                count = _sent.Count;
            }

            _progress.Writer.TryWrite(count);
        }

        public async Task WaitForAsync(int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (Sent.Count < count)
            {
                await _progress.Reader.ReadAsync(timeout.Token);
            }
        }
    }
}
