using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Auth;

/// <summary>
/// The Data Protection keys that sign cookies and antiforgery tokens, shared by every instance through the database, so
/// that a cookie or a form from one instance is valid on all (no sticky sessions). With <c>Portal:KeyCertificatePath</c>
/// (a PFX file, <c>Portal:KeyCertificatePassword</c> its password) each key is encrypted at rest with that certificate,
/// which every instance then needs.
/// </summary>
public static class SharedKeys
{
    /// <summary>How long an instance keeps its copy of the key ring before it reads the keys again.</summary>
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddPortalKeys(this IServiceCollection services, IConfiguration configuration)
    {
        var protection = services.AddDataProtection().PersistKeysToDbContext<PortalDbContext>().SetApplicationName("Portal");
        if (configuration["Portal:KeyCertificatePath"] is { Length: > 0 } path)
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration["Portal:KeyCertificatePassword"]);
            if (!certificate.HasPrivateKey)
            {
                throw new InvalidOperationException($"Portal:KeyCertificatePath ({path}) must hold the certificate's private key, to decrypt the keys.");
            }

            protection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }

        // Out of the box an instance reads the key ring once a day (and for unknown keys only in its first 2 minutes), so a
        // key another instance created would be ignored until then: re-read it every minute instead.
        services.Replace(ServiceDescriptor.Singleton<IKeyManager>(sp =>
            new RefreshingKeyManager(ActivatorUtilities.CreateInstance<XmlKeyManager>(sp), sp.GetRequiredService<TimeProvider>())));
        return services;
    }

    /// <summary>
    /// Creates the first key before the app serves anything (on PostgreSQL under the start-up lock, one instance at a
    /// time): instances that start together on an empty database would otherwise each make a key of their own at their
    /// first request.
    /// </summary>
    public static void EnsureKey(IServiceProvider services)
    {
        var keys = services.GetRequiredService<IKeyManager>();

        // Data Protection compares key dates with the system clock, whatever clock the app runs on.
        var now = DateTimeOffset.UtcNow;
        if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now))
        {
            keys.CreateNewKey(now, now + services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.NewKeyLifetime);
        }
    }

    /// <summary>The app's key manager, whose key ring the instance re-reads every <see cref="RefreshPeriod"/>.</summary>
    private sealed class RefreshingKeyManager(IKeyManager inner, TimeProvider time) : IKeyManager
    {
        public IKey CreateNewKey(DateTimeOffset activationDate, DateTimeOffset expirationDate) => inner.CreateNewKey(activationDate, expirationDate);

        public IReadOnlyCollection<IKey> GetAllKeys() => inner.GetAllKeys();

        public CancellationToken GetCacheExpirationToken()
        {
            var expiry = new CancellationTokenSource(RefreshPeriod, time);
            return CancellationTokenSource.CreateLinkedTokenSource(inner.GetCacheExpirationToken(), expiry.Token).Token;
        }

        public void RevokeKey(Guid keyId, string? reason = null) => inner.RevokeKey(keyId, reason);

        public void RevokeAllKeys(DateTimeOffset revocationDate, string? reason = null) => inner.RevokeAllKeys(revocationDate, reason);
    }
}
