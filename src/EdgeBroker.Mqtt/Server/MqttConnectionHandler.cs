namespace EdgeBroker.Mqtt.Server;

using EdgeBroker.Core.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Features;

/// <summary>
/// The Kestrel seam (STYLE.md example 1): <c>ListenOptions.UseConnectionHandler&lt;MqttConnectionHandler&gt;()</c>
/// for TCP/TLS and <c>MapConnectionHandler&lt;MqttConnectionHandler&gt;("/mqtt")</c> for WebSocket. It sees only
/// <see cref="ConnectionContext.Transport"/>; everything else is <see cref="MqttServer"/>. Thread-safe (stateless).
/// </summary>
public sealed class MqttConnectionHandler : ConnectionHandler
{
    /// <summary>
    /// The <see cref="ConnectionContext.Items"/> key a connection middleware sets (to the reason) when the listener
    /// is over its connection limit: the CONNECT is then answered with Server busy instead of served.
    /// </summary>
    public const string BusyItem = "EdgeBroker.Mqtt.Busy";

    private readonly MqttServer _server;

    public MqttConnectionHandler(MqttServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _server = server;
    }

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);

        // Over WebSocket: MQTT is binary, one or more packets per frame.
        if (connection.Features.Get<ITransferFormatFeature>() is { } format)
        {
            format.ActiveFormat = TransferFormat.Binary;
        }

        var busy = connection.Items.TryGetValue(BusyItem, out var reason) ? reason as string : null;
        await _server.RunConnectionAsync(connection.Transport, connection.ConnectionId, connection.RemoteEndPoint?.ToString(), ClientCertificateName(connection), connection.ConnectionClosed, busy).ConfigureAwait(false);
    }

    /// <summary>A verified client certificate's name: from the TLS listener, or from the HTTPS request of a WSS upgrade.</summary>
    private static string? ClientCertificateName(ConnectionContext connection) =>
        CertificateNames.UserName(connection.Features.Get<ITlsConnectionFeature>()?.ClientCertificate ?? connection.GetHttpContext()?.Connection.ClientCertificate);
}
