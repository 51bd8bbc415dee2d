namespace EdgeBroker.Core.Tests.Broker.Fakes;

using System.Collections.Concurrent;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Retained;
using EdgeBroker.Core.Routing;

/// <summary>An in-memory <see cref="IRetainedStore"/>; <see cref="Behaviour"/> can delay or fail SetAsync. Thread-safe.</summary>
internal sealed class FakeRetainedStore : IRetainedStore
{
    private readonly ConcurrentDictionary<string, Message> _messages = new(StringComparer.Ordinal);

    public Func<Message, ValueTask<TargetResult>>? Behaviour { get; set; }

    public int Count => _messages.Count;

    public Message? Get(string topic) => _messages.TryGetValue(topic, out var message) ? message : null;

    public async ValueTask<TargetResult> SetAsync(Message message, CancellationToken cancellationToken)
    {
        // Like the real store: visible to Match at once, withdrawn if the write fails.
        var previous = _messages.TryGetValue(message.Topic, out var old) ? old : null;
        Apply(message.Topic, message.Payload.IsEmpty ? null : message);
        var result = Behaviour is null ? TargetResult.Accepted : await Behaviour(message);
        if (result.Outcome != TargetOutcome.Accepted)
        {
            Apply(message.Topic, previous);
        }

        return result;
    }

    private void Apply(string topic, Message? message)
    {
        if (message is null)
        {
            _messages.TryRemove(topic, out _);
        }
        else
        {
            _messages[topic] = message;
        }
    }

    public IReadOnlyList<Message> Match(Func<string, bool> topicMatches) =>
        [.. _messages.Values.Where(m => topicMatches(m.Topic)).OrderBy(m => m.Topic, StringComparer.Ordinal)];

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
