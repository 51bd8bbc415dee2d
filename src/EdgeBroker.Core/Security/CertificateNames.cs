namespace EdgeBroker.Core.Security;

using System.Security.Cryptography.X509Certificates;

/// <summary>
/// The name a client certificate stands for: the subject's common name (CN), or when it has none the first
/// simple name .NET finds (e-mail, DNS or UPN). Adapters pass it in <see cref="AuthenticationRequest.CertificateName"/>.
/// Stateless.
/// </summary>
public static class CertificateNames
{
    public static string? UserName(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return null;
        }

        var name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return string.IsNullOrEmpty(name) ? null : name;
    }
}
