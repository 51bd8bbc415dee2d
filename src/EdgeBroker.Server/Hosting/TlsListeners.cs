namespace EdgeBroker.Server.Hosting;

using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeBroker.Mqtt.Server;
using EdgeBroker.Server.Configuration;
using EdgeBroker.Server.Logging;
using EdgeBroker.Stomp.Server;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

/// <summary>
/// The TLS listeners (composition only): MQTT over TLS (<c>Mqtt:TlsPort</c>, 8883), STOMP over TLS
/// (<c>Stomp:TlsPort</c>, 61614) and HTTPS (<c>Http:HttpsPort</c>, 8443, which also serves WSS for
/// <c>/mqtt</c>, <c>/stomp</c> and the hub). Each is Kestrel's <c>UseHttps</c> in front of the same connection
/// handler (or HTTP pipeline) as the plain listener, so the protocol code never sees TLS; the adapters only read
/// the verified client certificate's name for <see cref="TlsSettings.UseCertificateAsUserName"/>.
/// TLS 1.2 is the minimum (RELIABILITY.md "TLS"). Client certificates chain to <c>Tls:ClientCaFile</c> when set
/// (a private CA; the system store is not consulted then), must allow client authentication and must not be listed
/// in <c>Tls:CrlFile</c>.
/// </summary>
internal static class TlsListeners
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    public static void AddServices(IServiceCollection services) =>
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<EdgeBrokerOptions>, ILoggerFactory>((kestrel, options, loggers) =>
            Listen(kestrel, options.Value, loggers.CreateLogger("EdgeBroker.Tls")));

    private static void Listen(KestrelServerOptions kestrel, EdgeBrokerOptions options, ILogger logger)
    {
        var tls = options.Tls;
        if (!tls.Enabled)
        {
            return;
        }

        // Loaded once for every listener; the validator already proved the files load, so a failure here is a race.
        var certificate = TlsCertificateLoader.LoadServerCertificate(tls);
        var chain = TlsCertificateLoader.LoadChain(tls);
        var roots = tls.ClientCaFile is { } caFile ? TlsCertificateLoader.LoadCaCertificates(caFile) : null;
        var revoked = tls.CrlFile is { } crlFile && roots is not null ? RevocationList.Load(crlFile, roots) : null;

        Bind(kestrel, options.Mqtt.TlsBindAddress ?? options.Mqtt.BindAddress, options.Mqtt.EffectiveTlsPort(tls), "MQTT", tls, logger, listen =>
        {
            listen.UseHttps(HttpsOptions(tls, certificate, chain, roots, revoked, logger));
            Limits.ConnectionLimiter.Use(listen, "mqtt").UseConnectionHandler<MqttConnectionHandler>();
        });
        Bind(kestrel, options.Stomp.TlsBindAddress ?? options.Stomp.BindAddress, options.Stomp.EffectiveTlsPort(tls), "STOMP", tls, logger, listen =>
        {
            listen.UseHttps(HttpsOptions(tls, certificate, chain, roots, revoked, logger));
            Limits.ConnectionLimiter.Use(listen, "stomp").UseConnectionHandler<StompConnectionHandler>();
        });
        Bind(kestrel, options.Http.BindAddress, options.Http.EffectiveHttpsPort(tls), "HTTPS", tls, logger, listen =>
            listen.UseHttps(HttpsOptions(tls, certificate, chain, roots, revoked, logger)));
    }

    private static void Bind(KestrelServerOptions kestrel, string bindAddress, int port, string protocol, TlsSettings tls, ILogger logger, Action<ListenOptions> configure)
    {
        if (port == 0)
        {
            return;
        }

        if (string.Equals(bindAddress, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(port, configure);
        }
        else if (IPAddress.TryParse(bindAddress, out var address))
        {
            kestrel.Listen(address, port, configure);
        }
        else
        {
            return; // reported by EdgeBrokerOptionsValidator before Kestrel starts
        }

        BrokerLog.TlsListening(logger, protocol, bindAddress, port, tls.ClientCertificates, tls.UseCertificateAsUserName);
    }

    private static HttpsConnectionAdapterOptions HttpsOptions(TlsSettings tls, X509Certificate2 certificate, X509Certificate2Collection chain, X509Certificate2Collection? roots, RevocationList? revoked, ILogger logger)
    {
        var https = new HttpsConnectionAdapterOptions
        {
            ServerCertificate = certificate,
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateMode = tls.ClientCertificates switch
            {
                ClientCertificatePolicy.Allow => ClientCertificateMode.AllowCertificate,
                ClientCertificatePolicy.Require => ClientCertificateMode.RequireCertificate,
                _ => ClientCertificateMode.NoCertificate,
            },
            CheckCertificateRevocation = tls.CheckCertificateRevocation,
        };
        if (chain.Count > 0)
        {
            https.ServerCertificateChain = chain;
        }

        if (tls.ClientCertificates != ClientCertificatePolicy.None)
        {
            https.ClientCertificateValidation = (client, _, errors) => Validate(client, errors, roots, revoked, tls.CheckCertificateRevocation, logger);
        }

        return https;
    }

    /// <summary>Runs during the handshake; false fails it, so an adapter only ever sees a verified certificate.</summary>
    private static bool Validate(X509Certificate2 client, SslPolicyErrors errors, X509Certificate2Collection? roots, RevocationList? revoked, bool checkRevocation, ILogger logger)
    {
        if (roots is null)
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            BrokerLog.ClientCertificateRefused(logger, client.Subject, errors.ToString());
            return false;
        }

        // The callback's errors reflect the system store; a private CA is judged by our own chain alone.
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = checkRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        if (chain.Build(client))
        {
            if (revoked?.IsRevoked(client) != true)
            {
                return true;
            }

            BrokerLog.ClientCertificateRefused(logger, client.Subject, "Revoked (Tls:CrlFile)");
            return false;
        }

        var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()));
        BrokerLog.ClientCertificateRefused(logger, client.Subject, status);
        return false;
    }
}
