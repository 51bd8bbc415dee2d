namespace EdgeBroker.Server.Configuration;

using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

/// <summary>
/// Certificate revocation lists from <c>Tls:CrlFile</c> (Mosquitto's <c>crlfile</c>): one or more X.509 CRLs, PEM
/// or DER, each signed by a CA of <c>Tls:ClientCaFile</c>. .NET's chain builder cannot take an offline CRL, so the
/// revoked (issuer, serial number) pairs are read here with <see cref="AsnReader"/> (RFC 5280 §5.1) after each
/// CRL's signature is verified with its issuer's key; a CRL nobody in the CA file signed is refused at start.
/// Loaded once at start. Thread-safety: immutable after load.
/// </summary>
internal sealed class RevocationList
{
    private const string PemLabel = "X509 CRL";
    private readonly HashSet<string> _revoked;

    private RevocationList(HashSet<string> revoked) => _revoked = revoked;

    public int Count => _revoked.Count;

    /// <summary>Loads and verifies every CRL in <paramref name="path"/>; throws <see cref="TlsConfigurationException"/> naming the key.</summary>
    public static RevocationList Load(string path, X509Certificate2Collection issuers)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(issuers);
        if (!File.Exists(path))
        {
            throw new TlsConfigurationException($"EdgeBroker:Tls:CrlFile '{path}' does not exist.");
        }

        var revoked = new HashSet<string>(StringComparer.Ordinal);
        var lists = 0;
        foreach (var der in DerBlocks(File.ReadAllBytes(path)))
        {
            try
            {
                ReadOne(der, issuers, revoked);
            }
            catch (Exception ex) when (ex is AsnContentException or CryptographicException)
            {
                throw new TlsConfigurationException($"EdgeBroker:Tls:CrlFile '{path}' holds a malformed CRL: {ex.Message}", ex);
            }

            lists++;
        }

        return lists == 0
            ? throw new TlsConfigurationException($"EdgeBroker:Tls:CrlFile '{path}' holds no CRL (PEM '-----BEGIN {PemLabel}-----' or DER).")
            : new RevocationList(revoked);
    }

    public bool IsRevoked(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return _revoked.Contains(Key(certificate.IssuerName.RawData, certificate.SerialNumberBytes.Span));
    }

    private static IEnumerable<byte[]> DerBlocks(byte[] file)
    {
        var text = System.Text.Encoding.ASCII.GetString(file);
        if (!text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            yield return file; // DER
            yield break;
        }

        var remaining = text.AsMemory();
        while (PemEncoding.TryFind(remaining.Span, out var fields))
        {
            var label = remaining.Span[fields.Label];
            if (label.SequenceEqual(PemLabel))
            {
                yield return Convert.FromBase64String(remaining.Span[fields.Base64Data].ToString());
            }

            remaining = remaining[fields.Location.End..];
        }
    }

    /// <summary>CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue }.</summary>
    private static void ReadOne(byte[] der, X509Certificate2Collection issuers, HashSet<string> revoked)
    {
        var list = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var tbsBytes = list.ReadEncodedValue();
        var algorithm = list.ReadSequence().ReadObjectIdentifier();
        var signature = list.ReadBitString(out _);

        var tbs = new AsnReader(tbsBytes, AsnEncodingRules.DER).ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            tbs.ReadInteger(); // version v2
        }

        tbs.ReadSequence(); // signature algorithm (repeated inside)
        var issuerName = tbs.ReadEncodedValue().ToArray();
        var issuer = issuers.FirstOrDefault(c => c.SubjectName.RawData.AsSpan().SequenceEqual(issuerName))
            ?? throw new CryptographicException($"its issuer '{new X500DistinguishedName(issuerName).Name}' is not in EdgeBroker:Tls:ClientCaFile");
        if (!Verify(issuer, algorithm, tbsBytes.Span, signature))
        {
            throw new CryptographicException($"its signature does not verify with the key of '{issuer.Subject}'");
        }

        tbs.ReadEncodedValue(); // thisUpdate
        if (tbs.HasData && (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) || tbs.PeekTag().HasSameClassAndValue(Asn1Tag.GeneralizedTime)))
        {
            tbs.ReadEncodedValue(); // nextUpdate
        }

        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var entries = tbs.ReadSequence();
            while (entries.HasData)
            {
                var entry = entries.ReadSequence();
                revoked.Add(Key(issuerName, entry.ReadIntegerBytes().Span));
            }
        }
    }

    private static bool Verify(X509Certificate2 issuer, string algorithm, ReadOnlySpan<byte> data, byte[] signature)
    {
        var hash = algorithm switch
        {
            "1.2.840.10045.4.3.2" or "1.2.840.113549.1.1.11" => HashAlgorithmName.SHA256,
            "1.2.840.10045.4.3.3" or "1.2.840.113549.1.1.12" => HashAlgorithmName.SHA384,
            "1.2.840.10045.4.3.4" or "1.2.840.113549.1.1.13" => HashAlgorithmName.SHA512,
            _ => throw new CryptographicException($"signature algorithm {algorithm} is not supported (ECDSA or RSA PKCS#1 with SHA-256/384/512)"),
        };
        if (algorithm.StartsWith("1.2.840.10045", StringComparison.Ordinal))
        {
            using var ecdsa = issuer.GetECDsaPublicKey() ?? throw new CryptographicException("an ECDSA-signed CRL needs an ECDSA issuer key");
            return ecdsa.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
        }

        using var rsa = issuer.GetRSAPublicKey() ?? throw new CryptographicException("an RSA-signed CRL needs an RSA issuer key");
        return rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pkcs1);
    }

    /// <summary>Issuer DER + serial without sign-padding zeros: the same certificate always gives the same key.</summary>
    private static string Key(ReadOnlySpan<byte> issuer, ReadOnlySpan<byte> serial)
    {
        while (serial.Length > 1 && serial[0] == 0)
        {
            serial = serial[1..];
        }

        return Convert.ToHexString(issuer) + "/" + Convert.ToHexString(serial);
    }
}
