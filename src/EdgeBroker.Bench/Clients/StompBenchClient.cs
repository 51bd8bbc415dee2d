namespace EdgeBroker.Bench.Clients;

using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeBroker.Bench.Wire;

/// <summary>
/// STOMP 1.2 client. SENDs carry a numeric <c>receipt</c> when acknowledgements are wanted (the RECEIPT is the
/// publish acknowledgement); SUBSCRIBE carries a <c>sub-N</c> receipt so the subscription is known to be active
/// before publishing starts. MESSAGEs of client / client-individual subscriptions are ACKed one by one.
/// Thread-safety: see <see cref="BenchClient"/>.
/// </summary>
public sealed class StompBenchClient : BenchClient
{
    private readonly ClientSettings _settings;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _sendPrefix = [];
    private bool _withReceipts;
    private int _payloadLength;
    private long _nextReceipt;
    private int _subscriptions;
    private bool _ackMessages;

    public StompBenchClient(BenchConnection connection, ClientSettings settings)
        : base(connection) => _settings = settings;

    public override async Task SubscribeAsync(string destination, int qos, StompAckMode ackMode, int prefetch, CancellationToken cancellationToken)
    {
        _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _ackMessages = ackMode != StompAckMode.Auto;
        var id = _subscriptions++;
        var headers = new List<(string, string)>
        {
            ("id", id.ToString(CultureInfo.InvariantCulture)),
            ("destination", destination),
            ("ack", ackMode switch { StompAckMode.Client => "client", StompAckMode.ClientIndividual => "client-individual", _ => "auto" }),
            ("receipt", "sub-" + id.ToString(CultureInfo.InvariantCulture)),
        };
        if (prefetch > 0)
        {
            headers.Add(("prefetch-count", prefetch.ToString(CultureInfo.InvariantCulture)));
        }

        Connection.Send(StompWire.Frame("SUBSCRIBE", headers));
        await WaitAsync(_subscribed.Task, "RECEIPT for SUBSCRIBE", cancellationToken).ConfigureAwait(false);
    }

    public override void SetPublishTarget(string destination, int qos, bool withReceipts, bool persistent, int payloadLength)
    {
        _sendPrefix = StompWire.SendPrefix(destination, payloadLength, persistent);
        _withReceipts = withReceipts;
        _payloadLength = payloadLength;
    }

    public override Span<byte> AppendPublish(out long token)
    {
        token = _withReceipts ? _nextReceipt++ : -1;
        var span = Connection.Reserve(StompWire.SendSize(_sendPrefix.Length, _payloadLength));
        var head = StompWire.WriteSendHead(span, _sendPrefix, token);
        span[head + _payloadLength] = 0;
        Connection.Advance(head + _payloadLength + 1);
        return span.Slice(head, _payloadLength);
    }

    protected override async Task HandshakeAsync(string clientId, CancellationToken cancellationToken)
    {
        var headers = new List<(string, string)> { ("accept-version", "1.2"), ("host", _settings.StompHost), ("heart-beat", "0,0") };
        if (_settings.Username is not null)
        {
            headers.Add(("login", _settings.Username));
            headers.Add(("passcode", _settings.Password ?? ""));
        }

        Connection.Send(StompWire.Frame("CONNECT", headers));
        await WaitAsync(_connected.Task, "CONNECTED", cancellationToken).ConfigureAwait(false);
    }

    protected override byte[] Goodbye() => StompWire.Frame("DISCONNECT", []);

    protected override int Parse(ReadOnlyMemory<byte> buffer)
    {
        var span = buffer.Span;
        var consumed = 0;
        var now = Stopwatch.GetTimestamp();
        while (true)
        {
            var used = StompWire.TryRead(span[consumed..], out var frame);
            if (used == 0)
            {
                return consumed;
            }

            consumed += used;
            Dispatch(ref frame, now);
        }
    }

    private void Dispatch(ref StompWire.View frame, long now)
    {
        if (frame.Command.SequenceEqual("MESSAGE"u8))
        {
            Sink?.OnMessage(frame.Body, now);
            if (_ackMessages)
            {
                var ackId = frame.Header("ack"u8);
                lock (Connection.WriteGate)
                {
                    Connection.Advance(StompWire.WriteAck(Connection.Reserve(StompWire.AckSize(ackId.Length)), ackId));
                }
            }
        }
        else if (frame.Command.SequenceEqual("RECEIPT"u8))
        {
            var id = frame.Header("receipt-id"u8);
            if (id.StartsWith("sub-"u8))
            {
                _subscribed.TrySetResult();
            }
            else if (Utf8Parser.TryParse(id, out long receipt, out _))
            {
                Acks?.OnAck(receipt, now);
            }
        }
        else if (frame.Command.SequenceEqual("CONNECTED"u8))
        {
            _connected.TrySetResult();
        }
        else if (frame.Command.SequenceEqual("ERROR"u8))
        {
            var error = new IOException("STOMP ERROR: " + Encoding.UTF8.GetString(frame.Header("message"u8)) + " " + Encoding.UTF8.GetString(frame.Body));
            _connected.TrySetException(error);
            _subscribed.TrySetException(error);
            throw error;
        }
    }
}
