namespace EdgeBroker.Core.Tests.Broker.Fakes;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;

/// <summary>A durable target whose AcceptAsync completes only when the test calls <see cref="Release"/>.</summary>
internal sealed class GatedTarget
{
    private readonly TaskCompletionSource<TargetResult> _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;

    public bool Started => Volatile.Read(ref _started) == 1;

    public ValueTask<TargetResult> WaitAsync(Message message)
    {
        Volatile.Write(ref _started, 1);
        return new ValueTask<TargetResult>(_gate.Task);
    }

    public void Release(TargetResult result) => _gate.SetResult(result);
}
