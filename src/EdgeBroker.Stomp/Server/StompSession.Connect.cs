namespace EdgeBroker.Stomp.Server;

using System.Globalization;
using System.Net;
using System.Text;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Security;
using EdgeBroker.Stomp.Codec;

/// <summary>CONNECT / STOMP: version negotiation, login through the authorization hook, heart-beat negotiation, CONNECTED.</summary>
public sealed partial class StompSession
{
    private const string SupportedVersions = "1.0,1.1,1.2";

    private int _sendHeartbeatMs;
    private int _receiveHeartbeatMs;

    private async ValueTask ConnectAsync(StompFrame frame, CancellationToken cancellationToken)
    {
        var version = NegotiateVersion(frame.Get(StompHeaderNames.AcceptVersion))
            ?? throw new StompSessionException(
                "Supported protocol versions are " + SupportedVersions,
                StompCloseReason.ProtocolError,
                detail: "None of the versions in accept-version is supported.")
            {
                ExtraHeaders = [new StompHeader(StompHeaderNames.Version, SupportedVersions)],
            };

        // 1.0 has no heart-beating; the header is ignored there.
        int clientSend = 0, clientWants = 0;
        if (version != StompVersion.V10 && !StompHeartbeat.TryParse(frame.Get(StompHeaderNames.HeartBeat), out clientSend, out clientWants))
        {
            throw new StompSessionException("invalid heart-beat header", StompCloseReason.ProtocolError, detail: "Expected heart-beat:<cx>,<cy> with two non-negative integers.");
        }

        _broker = _brokerSource() ?? throw new StompSessionException("server not available", StompCloseReason.ServerUnavailable);

        // The host header names a virtual host; EdgeBroker has one and ignores it (README "host").
        var login = frame.Get(StompHeaderNames.Login);
        var passcode = frame.Get(StompHeaderNames.Passcode);
        var requestedId = frame.Get("client-id") is { Length: > 0 } requested ? requested : null;
        var clientId = requestedId ?? _info.ConnectionId;
        if (!_options.Flapping.TryAdmit(requestedId ?? FlappingKey(login)))
        {
            var flapping = _options.Flapping;
            throw new StompSessionException("connecting too often", StompCloseReason.Refused, frame.Get(StompHeaderNames.Receipt), string.Create(CultureInfo.InvariantCulture, $"More than {flapping.MaxConnects} connects in {flapping.Window.TotalSeconds:0} s; refused for {flapping.BanTime.TotalSeconds:0} s."));
        }

        var request = new AuthenticationRequest(
            ProtocolKind.Stomp,
            clientId,
            login,
            passcode is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(passcode),
            _info.RemoteAddress,
            _info.CertificateName);
        var auth = await _broker.Authorizer.AuthenticateAsync(request, cancellationToken).ConfigureAwait(false);
        if (!auth.Succeeded || auth.Identity is null)
        {
            // Same answer whether the user exists or not (RELIABILITY.md "Authentication failures").
            throw new StompSessionException("access refused", StompCloseReason.AuthenticationFailed, frame.Get(StompHeaderNames.Receipt));
        }

        _identity = auth.Identity;
        _origin = new MessageOrigin(ProtocolKind.Stomp, _identity.ClientId);
        _version = version;
        _outbound.Version = version;
        if (version != StompVersion.V10)
        {
            _sendHeartbeatMs = StompHeartbeat.Negotiate(_options.HeartbeatSendMs, clientWants);
            _receiveHeartbeatMs = StompHeartbeat.Negotiate(clientSend, _options.HeartbeatReceiveMs);
        }

        var versionText = VersionText(version);
        var headers = new List<StompHeader>(4)
        {
            new(StompHeaderNames.Version, versionText),
            new(StompHeaderNames.Session, _info.ConnectionId),
            new(StompHeaderNames.Server, _options.ServerName),
        };
        if (version != StompVersion.V10)
        {
            headers.Add(new StompHeader(StompHeaderNames.HeartBeat, StompHeartbeat.Format(_options.HeartbeatSendMs, _options.HeartbeatReceiveMs)));
        }

        _outbound.EnqueueFrame(new StompFrame(StompCommand.Connected, headers, ReadOnlyMemory<byte>.Empty));
        Interlocked.Exchange(ref _lastReadTimestamp, _time.GetTimestamp());
        _connected = true;
        _registration = _clients?.Register(new Core.Clients.ClientRegistration(ProtocolKind.Stomp, _identity.ClientId, _identity.UserName, _info.RemoteAddress, _time.GetUtcNow())
        {
            SubscriptionCount = () => _subscriptions.Count,
            Disconnect = _ => Expire(StompCloseReason.AdministrativeClose),
        });
        StompLog.Connected(_logger, _info.Transport, _info.ConnectionId, _info.RemoteAddress, _identity.ClientId, _identity.UserName, versionText, _sendHeartbeatMs, _receiveHeartbeatMs);
    }

    /// <summary>
    /// The highest version both sides speak. No accept-version header means 1.0 [STOMP 1.2 "Protocol Negotiation"].
    /// Null when nothing matches.
    /// </summary>
    internal static StompVersion? NegotiateVersion(string? acceptVersion)
    {
        if (acceptVersion is null)
        {
            return StompVersion.V10;
        }

        StompVersion? best = null;
        foreach (var part in acceptVersion.Split(','))
        {
            StompVersion? candidate = part switch
            {
                "1.0" => StompVersion.V10,
                "1.1" => StompVersion.V11,
                "1.2" => StompVersion.V12,
                _ => null,
            };
            if (candidate is { } v && (best is null || v > best))
            {
                best = v;
            }
        }

        return best;
    }

    /// <summary>Who is flapping when no client-id names it: the login at the remote IP (the port changes per connect).</summary>
    private string FlappingKey(string? login)
    {
        var address = IPEndPoint.TryParse(_info.RemoteAddress ?? string.Empty, out var endPoint) ? endPoint.Address.ToString() : _info.RemoteAddress;
        return (login ?? string.Empty) + "@" + address;
    }

    private static string VersionText(StompVersion version) => version switch
    {
        StompVersion.V10 => "1.0",
        StompVersion.V11 => "1.1",
        _ => "1.2",
    };
}
