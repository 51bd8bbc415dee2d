namespace EdgeBroker.Stomp.Server;

using System.Runtime.ExceptionServices;

/// <summary>
/// SEND pipelining. A durable SEND completes only after its fsync (R1); awaiting each one before reading the next
/// frame would leave one durable publish in flight per connection, so group commit could never batch a single
/// producer's messages. Instead the read loop starts the publish and goes on reading; a chain of settle tasks
/// awaits the publishes in frame order and sends each RECEIPT only after its own publish and every earlier one
/// (receipts stay in order, R3 still holds per message). The broker enqueues a publish's append synchronously, so
/// per-producer message order is the frame order. Any other frame first waits for the chain ("every earlier frame
/// was handled" for DISCONNECT, COMMIT, ACK receipts). The first failed publish is rethrown on the read loop, which
/// answers it with ERROR and closes, like an unpipelined SEND; later SENDs of that connection get no RECEIPT.
/// Only the read loop touches these fields, except the settle tasks, which write <see cref="_sendFailure"/> once.
/// </summary>
public sealed partial class StompSession
{
    /// <summary>Most SENDs in flight per connection before the read loop waits (bounds memory per connection).</summary>
    internal const int MaxPipelinedSends = 64;

    private Task _sendChain = Task.CompletedTask;
    private int _pipelinedSends;
    private ExceptionDispatchInfo? _sendFailure;

    private async ValueTask PipelineSendAsync(ValueTask publish, string? receipt)
    {
        ThrowIfSendFailed();
        if (publish.IsCompletedSuccessfully && _sendChain.IsCompleted)
        {
            publish.GetAwaiter().GetResult();
            SendReceipt(receipt); // nothing in flight: no ordering to keep, no task to allocate
            return;
        }

        _sendChain = SettleInOrderAsync(_sendChain, publish.AsTask(), receipt);
        if (++_pipelinedSends >= MaxPipelinedSends)
        {
            await DrainSendsAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Waits until every pipelined SEND is settled; rethrows the first failure.</summary>
    private async ValueTask DrainSendsAsync()
    {
        if (!_sendChain.IsCompleted || _pipelinedSends > 0)
        {
            try
            {
                await _sendChain.ConfigureAwait(false);
            }
            catch (Exception) when (_sendFailure is not null)
            {
                // rethrown below with its original stack
            }

            _pipelinedSends = 0;
        }

        ThrowIfSendFailed();
    }

    private void ThrowIfSendFailed() => _sendFailure?.Throw();

    /// <summary>Lets every pipelined SEND that can still succeed send its RECEIPT; failures were already reported.</summary>
    private async Task SettleSendsQuietlyAsync()
    {
        try
        {
            await _sendChain.ConfigureAwait(false);
        }
        catch (Exception) when (_sendFailure is not null)
        {
        }
    }

    private async Task SettleInOrderAsync(Task previous, Task publish, string? receipt)
    {
        try
        {
            await previous.ConfigureAwait(false);
            await publish.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (Interlocked.CompareExchange(ref _sendFailure, ExceptionDispatchInfo.Capture(ex), null) is null)
            {
                _transport.Input.CancelPendingRead(); // the read loop may be waiting for a client that waits for us
            }

            throw;
        }

        SendReceipt(receipt);
    }
}
