namespace EdgeBroker.Mqtt.Server;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Security;
using EdgeBroker.Core.Topics;
using EdgeBroker.Mqtt.Codec;

/// <summary>CONNECT: validation, authentication, session attach or takeover, CONNACK, keep-alive.</summary>
internal sealed partial class MqttConnection
{
    private ushort _clientReceiveMaximum = ushort.MaxValue;
    private uint _clientMaximumPacketSize = MqttCodecLimits.ProtocolMaximumPacketSize;
    private ushort _clientTopicAliasMaximum;
    private uint _connectSessionExpiry;
    private MqttWillMessage? _will;

    private async ValueTask<bool> HandleConnectAsync(MqttConnectPacket connect)
    {
        var version = connect.ProtocolVersion;
        _version = version;
        var v5 = version == MqttProtocolVersion.V500;
        var properties = connect.Properties;

        // Client id rules: [MQTT-3.1.3-5..8] 3.1.1 may send an empty id only with clean session; v5 gets one assigned.
        var clientId = connect.ClientId;
        string? assigned = null;
        if (clientId.Length == 0)
        {
            if (version == MqttProtocolVersion.V310 || (version == MqttProtocolVersion.V311 && !connect.CleanSession))
            {
                return RefuseConnect(MqttReasonCode.ClientIdentifierNotValid, "[MQTT-3.1.3-8] an empty client id needs clean session");
            }

            clientId = assigned = "auto-" + Guid.NewGuid().ToString("N");
        }

        if (clientId.Length > _options.MaxClientIdLength)
        {
            return RefuseConnect(MqttReasonCode.ClientIdentifierNotValid, $"client id longer than {_options.MaxClientIdLength}");
        }

        if (properties?.AuthenticationMethod is not null)
        {
            return RefuseConnect(MqttReasonCode.BadAuthenticationMethod, "enhanced authentication is not supported");
        }

        // Keep-alive clamp (RELIABILITY.md, CVE-2020-13849): v5 gets Server Keep Alive, 3.x above the maximum is refused.
        int keepAlive = connect.KeepAliveSeconds;
        ushort? serverKeepAlive = null;
        if (keepAlive > _options.MaxKeepAliveSeconds || (v5 && keepAlive == 0))
        {
            if (!v5)
            {
                return RefuseConnect(MqttReasonCode.ClientIdentifierNotValid, $"keep-alive {keepAlive}s above the maximum {_options.MaxKeepAliveSeconds}s");
            }

            keepAlive = _options.MaxKeepAliveSeconds;
            serverKeepAlive = _options.MaxKeepAliveSeconds;
        }

        if (_server.IsStopping || !_server.IsStarted)
        {
            return RefuseConnect(MqttReasonCode.ServerUnavailable, "the broker is not running");
        }

        if (BusyReason is { } busy)
        {
            return RefuseConnect(MqttReasonCode.ServerBusy, busy);
        }

        if (!_options.Flapping.TryAdmit(clientId))
        {
            return RefuseConnect(MqttReasonCode.ConnectionRateExceeded, $"client id connects too often (more than {_options.Flapping.MaxConnects} times in {_options.Flapping.Window.TotalSeconds:0} s); refused for {_options.Flapping.BanTime.TotalSeconds:0} s");
        }

        var broker = _server.Broker;
        var auth = await broker.Authorizer.AuthenticateAsync(
            new AuthenticationRequest(ProtocolKind.Mqtt, clientId, connect.UserName, connect.Password ?? ReadOnlyMemory<byte>.Empty, RemoteAddress, CertificateName),
            CancellationToken.None).ConfigureAwait(false);
        if (!auth.Succeeded || auth.Identity is null)
        {
            return RefuseConnect(
                auth.Outcome == AuthenticationOutcome.BadCredentials ? MqttReasonCode.BadUserNameOrPassword : MqttReasonCode.NotAuthorized,
                "authentication failed");
        }

        var identity = auth.Identity;
        if (connect.Will is { } will)
        {
            if (Topic.Validate(will.Topic) != TopicError.None || Topic.IsReserved(will.Topic))
            {
                return RefuseConnect(MqttReasonCode.TopicNameInvalid, "invalid will topic");
            }

            if (!broker.Authorizer.CanPublish(identity, will.Topic))
            {
                return RefuseConnect(MqttReasonCode.NotAuthorized, "not authorized to publish the will");
            }

            _will = will;
        }

        // Session expiry: 3.x clean session 0 never expires, clean session 1 ends with the connection.
        uint expiry = v5 ? properties?.SessionExpiryInterval ?? 0 : connect.CleanSession ? 0 : uint.MaxValue;
        uint? grantedExpiry = null;
        if (expiry > _options.MaxSessionExpirySeconds)
        {
            expiry = _options.MaxSessionExpirySeconds;
            grantedExpiry = expiry;
        }

        _connectSessionExpiry = expiry;
        if (v5 && properties is not null)
        {
            _clientReceiveMaximum = properties.ReceiveMaximum ?? ushort.MaxValue;
            _clientMaximumPacketSize = properties.MaximumPacketSize ?? MqttCodecLimits.ProtocolMaximumPacketSize;
            _clientTopicAliasMaximum = properties.TopicAliasMaximum ?? 0;
        }

        _identity = identity;
        _origin = new MessageOrigin(ProtocolKind.Mqtt, clientId);
        var (session, present) = await _server.AttachAsync(this, clientId, connect.CleanSession, expiry, version).ConfigureAwait(false);
        _session = session;
        _limits = new MqttCodecLimits(_options.MaxPacketSize);
        _window = Math.Min(_options.MaxInflight, (int)_clientReceiveMaximum);
        if (keepAlive > 0)
        {
            // [MQTT-3.1.2-22] one and a half times the keep-alive without a packet closes the connection.
            _keepAliveTimeout = TimeSpan.FromMilliseconds(keepAlive * 1500L);
        }
        else
        {
            _keepAliveTimeout = Timeout.InfiniteTimeSpan;
        }

        _readCts.CancelAfter(_keepAliveTimeout);

        Enqueue(new MqttConnAckPacket
        {
            // [MQTT-3.2.2-2] session present only when a session was resumed.
            SessionPresent = present && version != MqttProtocolVersion.V310,
            ReasonCode = MqttReasonCode.Success,
            Properties = v5 ? new MqttProperties
            {
                AssignedClientIdentifier = assigned,
                ServerKeepAlive = serverKeepAlive,
                SessionExpiryInterval = grantedExpiry,
                ReceiveMaximum = _options.ReceiveMaximum,
                MaximumPacketSize = (uint)_options.MaxPacketSize,
                TopicAliasMaximum = _options.TopicAliasMaximum,
            }
            : null,
        });
        _server.CountConnected();
        _connected = true;
        _registration = _server.Clients?.Register(new Core.Clients.ClientRegistration(ProtocolKind.Mqtt, clientId, identity.UserName, RemoteAddress, _server.Time.GetUtcNow())
        {
            SubscriptionCount = () => session.SubscriptionCount,
            Disconnect = reason => RequestClose(MqttReasonCode.AdministrativeAction, reason),
        });
        MqttLog.Connected(_server.Logger, clientId, RemoteAddress, (int)version, connect.CleanSession, keepAlive, present);

        RestoreSubscriptions(session);
        return true;
    }

    /// <summary>Answers a refused CONNECT (v5 reason code, 3.x return code) and ends the connection.</summary>
    private bool RefuseConnect(MqttReasonCode code, string reason)
    {
        MqttLog.ConnectRefused(_server.Logger, ConnectionId, RemoteAddress, code.ToString(), reason);
        SendConnAckAndClose(code, _version, reason);
        _closeReason = reason;
        return false;
    }

    private void SendConnAckAndClose(MqttReasonCode code, MqttProtocolVersion version, string? reason = null)
    {
        _version = version;
        var connAck = new MqttConnAckPacket { ReasonCode = code, Properties = version == MqttProtocolVersion.V500 ? ReasonProperties(reason) : null };
        if (connAck.Properties is not null && MqttPacketWriter.GetEncodedSize(connAck, version) > _clientMaximumPacketSize)
        {
            connAck = new MqttConnAckPacket { ReasonCode = code };
        }

        _outbound.Writer.TryWrite(OutboundItem.Control(connAck, closeAfter: true));
    }

    /// <summary>The read was cancelled: a requested close, the connect timeout or the keep-alive timeout.</summary>
    private void OnReadCancelled()
    {
        if (_closeReason is not null)
        {
            return;
        }

        if (_session is null)
        {
            MqttLog.ConnectTimeout(_server.Logger, ConnectionId, RemoteAddress);
            _closeReason = "no CONNECT within the connect timeout";
            return;
        }

        // [MQTT-3.1.2-22] keep-alive expired: v5 DISCONNECT 0x8D, then close; the will is published.
        _closeReason = "keep-alive timeout";
        SendDisconnect(MqttReasonCode.KeepAliveTimeout);
    }

    /// <summary>Another connection with the same client id took the session ([MQTT-3.1.4-3]).</summary>
    public void TakeOver()
    {
        if (_session is { } session)
        {
            MqttLog.TakenOver(_server.Logger, session.ClientId);
        }

        RequestClose(MqttReasonCode.SessionTakenOver, "session taken over");
    }
}
