using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Auth;

/// <summary>
/// The Data Protection keys that sign cookies and antiforgery tokens and protect service passwords, shared by every
/// instance through the database, so that a cookie or a form from one instance is valid on all (no sticky sessions). Each
/// key is encrypted at rest with the certificate of the <see cref="KeyFile"/>, which lives outside the database.
/// </summary>
public static class SharedKeys
{
    /// <summary>How long an instance keeps its copy of the key ring before it reads the keys again.</summary>
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromMinutes(1);

    private static readonly XNamespace KeyXml = "http://schemas.asp.net/2015/03/dataProtection";

    public static IServiceCollection AddPortalKeys(this IServiceCollection services, IConfiguration configuration)
    {
        var file = new KeyFile(configuration);
        services.AddSingleton(file);
        services.AddSingleton<KeyRingStatus>();
        var protection = services.AddDataProtection().PersistKeysToDbContext<PortalDbContext>().SetApplicationName("Portal");
        if (file.Certificate is { } certificate)
        {
            protection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }

        // Out of the box an instance reads the key ring once a day (and for unknown keys only in its first 2 minutes), so a
        // key another instance created would be ignored until then: re-read it every minute instead.
        services.Replace(ServiceDescriptor.Singleton<IKeyManager>(sp =>
            new RefreshingKeyManager(ActivatorUtilities.CreateInstance<XmlKeyManager>(sp), sp.GetRequiredService<TimeProvider>())));
        return services;
    }

    /// <summary>
    /// Prepares the key ring before the app serves anything (on PostgreSQL under the start-up lock, one instance at a
    /// time): encrypts with the key file any key stored unencrypted (written before the file existed), refuses to start
    /// when a key cannot be read with the file (the wrong file, or none where the keys were encrypted: starting anyway
    /// would make new keys and leave every service password unreadable), and creates the first key (instances that start
    /// together on an empty database would otherwise each make one at their first request).
    /// </summary>
    public static void EnsureKey(IServiceProvider services)
    {
        var file = services.GetRequiredService<KeyFile>();
        var db = services.GetRequiredService<PortalDbContext>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SharedKeys));
        if (file.Created)
        {
            logger.LogWarning(
                "Created the key file {Path}, which encrypts the Data Protection keys in the database: back it up apart from the database, and give every instance the same file. Without it, the keys (and the service passwords they protect) cannot be read.",
                file.Path);
        }

        if (file.Certificate is { } certificate)
        {
            var encryptor = new CertificateXmlEncryptor(certificate, services.GetRequiredService<ILoggerFactory>());
            foreach (var stored in db.DataProtectionKeys.ToList().Where(k => k.Xml is not null && Seal(k, encryptor)))
            {
                logger.LogWarning("Encrypted the Data Protection key {Key} with the key file {Path}: it was stored unencrypted", stored.FriendlyName, file.Path);
            }

            db.SaveChanges();
        }

        var keys = services.GetRequiredService<IKeyManager>();

        // Data Protection compares key dates with the system clock, whatever clock the app runs on.
        var now = DateTimeOffset.UtcNow;
        var current = keys.GetAllKeys().Where(k => !k.IsRevoked && k.ExpirationDate > now).ToList();
        foreach (var key in current)
        {
            try
            {
                _ = key.CreateEncryptor() ?? throw new CryptographicException("no encryptor");
            }
            catch (Exception e) when (e is CryptographicException or InvalidOperationException or FormatException or System.Xml.XmlException)
            {
                throw new InvalidOperationException(file.Path is null
                    ? $"The Data Protection key {key.KeyId} in the database is encrypted, and Portal:KeyCertificatePath is turned off: set it to the key file the keys were encrypted with."
                    : $"The Data Protection key {key.KeyId} in the database cannot be read with the key file {file.Path}: restore the file the keys were encrypted with (from a backup, or from another instance of the farm).", e);
            }
        }

        if (!current.Any(k => k.ActivationDate <= now))
        {
            keys.CreateNewKey(now, now + services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.NewKeyLifetime);
        }

        var status = services.GetRequiredService<KeyRingStatus>();
        status.UnencryptedKeys = db.DataProtectionKeys.AsNoTracking().AsEnumerable().Count(k => k.Xml is not null && !XElement.Parse(k.Xml).Descendants(KeyXml + "encryptedSecret").Any());
        if (file.Certificate is null)
        {
            logger.LogWarning("Portal:KeyCertificatePath is empty: the Data Protection keys are stored unencrypted in the database, so a copy of the database can read the service passwords. Set it to a key file (see README, Backups).");
        }
    }

    /// <summary>Encrypts the secret of a key stored in the clear, as Data Protection encrypts new keys; false if there was none.</summary>
    private static bool Seal(DataProtectionKey stored, CertificateXmlEncryptor encryptor)
    {
        var key = XElement.Parse(stored.Xml!);
        var secrets = key.Descendants().Where(e => (string?)e.Attribute(KeyXml + "requiresEncryption") == "true").ToList();
        foreach (var secret in secrets)
        {
            var encrypted = encryptor.Encrypt(new XElement(secret));
            secret.ReplaceWith(new XElement(KeyXml + "encryptedSecret",
                new XAttribute("decryptorType", encrypted.DecryptorType.AssemblyQualifiedName!), encrypted.EncryptedElement));
        }

        stored.Xml = key.ToString(SaveOptions.DisableFormatting);
        return secrets.Count > 0;
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
