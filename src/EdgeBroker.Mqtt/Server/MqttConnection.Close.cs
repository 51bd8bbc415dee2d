namespace EdgeBroker.Mqtt.Server;

using EdgeBroker.Core.Messages;
using EdgeBroker.Mqtt.Codec;

/// <summary>
/// Every way a connection ends goes through here (STYLE.md example 5): protocol errors map to a v5 DISCONNECT
/// (or CONNACK before CONNECT completed) with the reason code, or a plain close for 3.x; each close is logged once.
/// Teardown: stop deliveries, give unacknowledged queue deliveries back, flush the writer, detach the session,
/// then the will ([MQTT-3.1.2-8]: not on a normal DISCONNECT).
/// </summary>
internal sealed partial class MqttConnection
{
    private volatile string? _closeReason;
    private volatile bool _connected;
    private bool _normalDisconnect;
    private int _disconnectSent;
    private IDisposable? _registration;

    /// <summary>Closes from any thread: v5 clients get DISCONNECT with <paramref name="code"/> first.</summary>
    public void RequestClose(MqttReasonCode code, string reason)
    {
        _closeReason ??= reason;
        if (_connected)
        {
            SendDisconnect(code, reason);
        }

        CancelRead();
    }

    /// <summary>The transport went away: nothing can be sent any more.</summary>
    public void Abort(string reason)
    {
        _closeReason ??= reason;
        CancelRead();
    }

    private void CancelRead()
    {
        try
        {
            _readCts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>A protocol failure detected by the session (not the codec): answer and end the read loop.</summary>
    private bool Fail(MqttReasonCode code, string reason)
    {
        _server.Counters.ProtocolError();
        MqttLog.ProtocolError(_server.Logger, ConnectionId, ClientId, code.ToString(), reason);
        _closeReason ??= reason;
        SendDisconnect(code, reason);
        return false;
    }

    /// <summary>The codec threw: before CONNECT completed answer with CONNACK (when the version is known), else DISCONNECT.</summary>
    private void OnProtocolError(MqttProtocolException ex)
    {
        _server.Counters.ProtocolError();
        MqttLog.ProtocolError(_server.Logger, ConnectionId, ClientId, ex.ReasonCode.ToString(), ex.Message);
        _closeReason ??= ex.Message;
        if (_session is null)
        {
            // A 3.x client understands only return codes 1..5; a malformed CONNECT is just closed ([MQTT-3.2.2-…]).
            var version = ex.ProtocolVersion;
            if (version == MqttProtocolVersion.V500
                || (version is MqttProtocolVersion.V311 or MqttProtocolVersion.V310 && ex.ReasonCode is MqttReasonCode.UnsupportedProtocolVersion or MqttReasonCode.ClientIdentifierNotValid))
            {
                SendConnAckAndClose(ex.ReasonCode, version, ex.Message);
            }

            return;
        }

        SendDisconnect(ex.ReasonCode, ex.Message);
    }

    /// <summary>
    /// v5: DISCONNECT with a reason code and reason string, then the writer stops; 3.x: the writer stops (plain
    /// close). A reason string is allowed on DISCONNECT whatever Request Problem Information says.
    /// </summary>
    private void SendDisconnect(MqttReasonCode code, string? reason = null)
    {
        if (Interlocked.Exchange(ref _disconnectSent, 1) == 1)
        {
            return;
        }

        if (_version == MqttProtocolVersion.V500 && _connected)
        {
            var disconnect = new MqttDisconnectPacket { ReasonCode = code, Properties = ReasonProperties(reason) };
            if (disconnect.Properties is not null && MqttPacketWriter.GetEncodedSize(disconnect, _version) > _clientMaximumPacketSize)
            {
                disconnect = new MqttDisconnectPacket { ReasonCode = code }; // [MQTT-3.14.2-3] drop the reason, keep the code
            }

            _outbound.Writer.TryWrite(OutboundItem.Control(disconnect, closeAfter: true));
        }
        else
        {
            _outbound.Writer.TryComplete();
        }
    }

    private bool HandleDisconnect(MqttDisconnectPacket disconnect)
    {
        if (disconnect.Properties?.SessionExpiryInterval is { } expiry && _session is { } session)
        {
            // [MQTT-3.14.2-2] a session that started with expiry 0 may not be given one at DISCONNECT.
            if (_connectSessionExpiry == 0 && expiry != 0)
            {
                return Fail(MqttReasonCode.ProtocolError, "[MQTT-3.14.2-2] Session Expiry Interval set on DISCONNECT after 0 on CONNECT");
            }

            session.ExpirySeconds = Math.Min(expiry, _options.MaxSessionExpirySeconds);
        }

        // [MQTT-3.14.4-3] a normal DISCONNECT discards the will; 0x04 asks for it to be published.
        _normalDisconnect = disconnect.ReasonCode != MqttReasonCode.DisconnectWithWillMessage;
        _closeReason = "DISCONNECT " + disconnect.ReasonCode;
        _outbound.Writer.TryComplete();
        return false;
    }

    private async Task TearDownAsync(Task writer, Task ackLoop)
    {
        Interlocked.Exchange(ref _closed, 1);
        _registration?.Dispose();
        StopDeliveries();
        _acks.Writer.TryComplete();
        _outbound.Writer.TryComplete();
        await Task.WhenAny(Task.WhenAll(writer, ackLoop), Task.Delay(_options.CloseTimeout, _server.Time)).ConfigureAwait(false);
        try
        {
            await _transport.Output.CompleteAsync().ConfigureAwait(false);
            await _transport.Input.CompleteAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
        }

        if (_session is { } session)
        {
            if (_connected)
            {
                _server.CountDisconnected();
            }

            MqttLog.Disconnected(_server.Logger, session.ClientId, _closeReason ?? "closed");
            try
            {
                await _server.DetachAsync(this, session).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
            {
                MqttLog.SessionSaveFailed(_server.Logger, session.ClientId, ex.Message);
            }

            if (_will is { } will && !_normalDisconnect)
            {
                ScheduleWill(session, will);
            }
        }

    }

    /// <summary>Called once the connection ended (after <see cref="Completion"/>).</summary>
    public void Dispose() => _readCts.Dispose();

    private void ScheduleWill(MqttSessionState session, MqttWillMessage will)
    {
        // [MQTT-3.1.3-9] v5 Will Delay Interval: published when it elapses or the session ends, whichever is first.
        var delaySeconds = Math.Min(will.Properties?.WillDelayInterval ?? 0, session.ExpirySeconds);
        var message = ToWillMessage(session.ClientId, will);
        var identity = _identity;
        if (delaySeconds == 0)
        {
            _ = PublishWillAsync(message, identity, session.ClientId);
        }
        else
        {
            _server.ScheduleWill(session.ClientId, TimeSpan.FromSeconds(delaySeconds), () => PublishWillAsync(message, identity, session.ClientId));
        }
    }

    private Message ToWillMessage(string clientId, MqttWillMessage will)
    {
        var p = will.Properties;
        return new Message
        {
            Topic = will.Topic,
            Payload = will.Payload,
            ContentType = p?.ContentType,
            PayloadFormat = p?.PayloadFormatIndicator == MqttPayloadFormatIndicator.Utf8 ? PayloadFormat.Utf8 : PayloadFormat.Unspecified,
            CorrelationData = p?.CorrelationData,
            ResponseTopic = p?.ResponseTopic,
            Headers = p?.UserProperties is { Count: > 0 } user ? [.. user.Select(u => new MessageHeader(u.Name, u.Value))] : [],
            ExpiryInterval = p?.MessageExpiryInterval is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            TimestampMs = _server.Time.GetUtcNow().ToUnixTimeMilliseconds(),
            Qos = (QualityOfService)will.Qos,
            Retain = will.Retain,
            Persistent = will.Qos != MqttQos.AtMostOnce,
            Origin = new MessageOrigin(ProtocolKind.Mqtt, clientId),
        };
    }

    private async Task PublishWillAsync(Message message, Core.Security.ClientIdentity? identity, string clientId)
    {
        try
        {
            var result = await _server.Broker.PublishAsync(message, identity).ConfigureAwait(false);
            if (!result.IsAcknowledged)
            {
                MqttLog.WillRefused(_server.Logger, clientId, message.Topic, result.Outcome + " " + result.Reason);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            MqttLog.WillRefused(_server.Logger, clientId, message.Topic, ex.Message);
        }
    }

    /// <summary>A v5 Reason String for the client's developer: the log line's reason, capped so it never dominates the packet.</summary>
    private static MqttProperties? ReasonProperties(string? reason) =>
        string.IsNullOrEmpty(reason) ? null : new MqttProperties { ReasonString = reason.Length <= 200 ? reason : reason[..200] };
}
