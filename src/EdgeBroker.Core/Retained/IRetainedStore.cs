namespace EdgeBroker.Core.Retained;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;

/// <summary>The last retained message per topic, durable across restarts (a compacted log). Thread-safe.</summary>
public interface IRetainedStore : IAsyncDisposable
{
    /// <summary>
    /// Stores the message as its topic's retained value; an empty payload clears it. Completes once durable.
    /// <see cref="Match"/> shows the new value from the moment this is called (a subscription made while it is
    /// being written must not miss it), and withdraws it again if the write fails.
    /// </summary>
    ValueTask<TargetResult> SetAsync(Message message, CancellationToken cancellationToken);

    /// <summary>Retained messages whose topic satisfies <paramref name="topicMatches"/> (expired ones are skipped).</summary>
    IReadOnlyList<Message> Match(Func<string, bool> topicMatches);

    int Count { get; }
}
