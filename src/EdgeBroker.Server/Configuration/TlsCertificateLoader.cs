namespace EdgeBroker.Server.Configuration;

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

/// <summary>
/// Loads the server certificate (PEM cert + key, PEM with the key inside, or PFX with a password) and the client
/// CA bundle named in <see cref="TlsSettings"/>. Every failure becomes a <see cref="TlsConfigurationException"/>
/// naming the configuration key, the file and the reason, so start-up validation can report it. Stateless.
/// </summary>
public static class TlsCertificateLoader
{
    public static X509Certificate2 LoadServerCertificate(TlsSettings tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var path = tls.CertificateFile ?? throw new TlsConfigurationException("EdgeBroker:Tls:CertificateFile is not set.");
        RequireFile(path, "EdgeBroker:Tls:CertificateFile");
        if (tls.KeyFile is not null)
        {
            RequireFile(tls.KeyFile, "EdgeBroker:Tls:KeyFile");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = IsPem(path)
                ? LoadPem(path, tls.KeyFile, tls.Password)
                : X509CertificateLoader.LoadPkcs12FromFile(path, tls.Password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException ex)
        {
            throw new TlsConfigurationException(
                $"EdgeBroker:Tls:CertificateFile '{path}' cannot be loaded (wrong EdgeBroker:Tls:Password, a key that does not match, or not a certificate): {ex.Message}",
                ex);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new TlsConfigurationException($"EdgeBroker:Tls:CertificateFile '{path}' cannot be loaded: {ex.Message}", ex);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new TlsConfigurationException($"EdgeBroker:Tls:CertificateFile '{path}' has no private key; set EdgeBroker:Tls:KeyFile.");
        }

        if (certificate.NotAfter < DateTime.Now)
        {
            var notAfter = certificate.NotAfter;
            certificate.Dispose();
            throw new TlsConfigurationException($"EdgeBroker:Tls:CertificateFile '{path}' expired on {notAfter:u}.");
        }

        return certificate;
    }

    /// <summary>The certificates after the first in a PEM certificate file: intermediates sent with the server certificate.</summary>
    public static X509Certificate2Collection LoadChain(TlsSettings tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var chain = new X509Certificate2Collection();
        if (tls.CertificateFile is { } path && IsPem(path))
        {
            var all = new X509Certificate2Collection();
            all.ImportFromPemFile(path);
            for (var i = 0; i < all.Count; i++)
            {
                if (i == 0)
                {
                    all[i].Dispose();
                }
                else
                {
                    chain.Add(all[i]);
                }
            }
        }

        return chain;
    }

    public static X509Certificate2Collection LoadCaCertificates(string path)
    {
        RequireFile(path, "EdgeBroker:Tls:ClientCaFile");
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPemFile(path);
        }
        catch (CryptographicException ex)
        {
            throw new TlsConfigurationException($"EdgeBroker:Tls:ClientCaFile '{path}' is not a PEM certificate bundle: {ex.Message}", ex);
        }

        if (collection.Count == 0)
        {
            throw new TlsConfigurationException($"EdgeBroker:Tls:ClientCaFile '{path}' holds no PEM certificate.");
        }

        return collection;
    }

    public static void DisposeAll(this X509Certificate2Collection collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        foreach (var certificate in collection)
        {
            certificate.Dispose();
        }
    }

    private static X509Certificate2 LoadPem(string path, string? keyFile, string? password) =>
        string.IsNullOrEmpty(password)
            ? X509Certificate2.CreateFromPemFile(path, keyFile)
            : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyFile);

    private static void RequireFile(string path, string key)
    {
        if (!File.Exists(path))
        {
            throw new TlsConfigurationException($"{key} '{path}' does not exist.");
        }
    }

    /// <summary>PEM is text starting with (or containing early) a "-----BEGIN" line; anything else is treated as PKCS#12.</summary>
    private static bool IsPem(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> head = stackalloc byte[512];
            var read = stream.Read(head);
            return head[..read].IndexOf("-----BEGIN"u8) >= 0;
        }
        catch (IOException ex)
        {
            throw new TlsConfigurationException($"EdgeBroker:Tls:CertificateFile '{path}' cannot be read: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new TlsConfigurationException($"EdgeBroker:Tls:CertificateFile '{path}' cannot be read: {ex.Message}", ex);
        }
    }
}
