using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Infrastructure.Auth;

/// <summary>
/// The Data Protection keys are encrypted at rest with a key file kept outside the database: a copy of the database alone
/// reads no service password, a key stored unencrypted before is encrypted at the next start, and a start with the wrong
/// key file stops with a message instead of making new keys that would orphan every stored secret.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class KeyFileTests(PortalFixture portal)
{
    /// <summary>The protector of service passwords (ServiceLogins).</summary>
    private const string ServicePasswords = "Portal.ServiceLogin.v1";

    [Fact]
    public async Task A_copy_of_the_database_without_the_key_file_reads_no_service_password_and_with_it_does()
    {
        var stored = portal.Factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(ServicePasswords).Protect("hunter2-service");
        var rows = await KeyRowsAsync(portal);

        Assert.All(rows, xml => Assert.Contains("encryptedSecret", xml));
        Assert.All(rows, xml => Assert.DoesNotContain("<masterKey", xml));
        Assert.ThrowsAny<CryptographicException>(() => Thief(rows).CreateProtector(ServicePasswords).Unprotect(stored));

        var keyFile = X509CertificateLoader.LoadPkcs12FromFile(portal.Factory.Settings.GetValueOrDefault("Portal:KeyCertificatePath") ?? Path.Combine(portal.Factory.Folder, "keys.pfx"), null);
        Assert.Equal("hunter2-service", Thief(rows, keyFile).CreateProtector(ServicePasswords).Unprotect(stored));
    }

    [Fact]
    public async Task Keys_written_unencrypted_are_warned_of_then_encrypted_at_the_next_start_and_a_wrong_key_file_stops_the_start()
    {
        var plain = new PortalFixture();
        plain.Factory.Settings["Portal:KeyCertificatePath"] = "";
        await plain.InitializeAsync();
        try
        {
            var stored = plain.Factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(ServicePasswords).Protect("hunter2-service");
            Assert.All(await KeyRowsAsync(plain), xml => Assert.Contains("<masterKey", xml));
            using (var admin = await plain.CreateAdminBrowserAsync())
            {
                Assert.NotNull((await admin.GetAsync("/admin")).Document.QuerySelector("[data-key-ring-warning]"));
            }

            var sealedKeys = new PortalFixture();
            sealedKeys.Factory.Settings["ConnectionStrings:Portal"] = plain.Factory.ConnectionString;
            await sealedKeys.InitializeAsync();
            try
            {
                var rows = await KeyRowsAsync(sealedKeys);
                Assert.All(rows, xml => Assert.Contains("encryptedSecret", xml));
                Assert.All(rows, xml => Assert.DoesNotContain("<masterKey", xml));
                Assert.Equal("hunter2-service", sealedKeys.Factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(ServicePasswords).Unprotect(stored));
                Assert.ThrowsAny<CryptographicException>(() => Thief(rows).CreateProtector(ServicePasswords).Unprotect(stored));
                using var admin = await sealedKeys.CreateAdminBrowserAsync();
                Assert.Null((await admin.GetAsync("/admin")).Document.QuerySelector("[data-key-ring-warning]"));
            }
            finally
            {
                await sealedKeys.DisposeAsync();
            }

            var wrongFile = new PortalFixture();
            wrongFile.Factory.Settings["ConnectionStrings:Portal"] = plain.Factory.ConnectionString;
            try
            {
                var refused = await Assert.ThrowsAnyAsync<Exception>(wrongFile.InitializeAsync);
                Assert.Contains("cannot be read with the key file", Flatten(refused));
                Assert.All(await KeyRowsAsync(plain), xml => Assert.Contains("encryptedSecret", xml));
            }
            finally
            {
                await wrongFile.DisposeAsync();
            }
        }
        finally
        {
            await plain.DisposeAsync();
        }
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " " + Flatten(e.InnerException);

    private static Task<List<string>> KeyRowsAsync(PortalFixture app) =>
        app.WithDbAsync(db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToListAsync());

    /// <summary>Someone holding a copy of the key rows: the same application name and purposes, and maybe the key file.</summary>
    private static IDataProtectionProvider Thief(IReadOnlyList<string> rows, X509Certificate2? keyFile = null)
    {
        var services = new ServiceCollection();
        var protection = services.AddDataProtection().SetApplicationName("Portal").DisableAutomaticKeyGeneration()
            .AddKeyManagementOptions(o => o.XmlRepository = new CopiedRows(rows));
        if (keyFile is not null)
        {
            protection.UnprotectKeysWithAnyCertificate(keyFile);
        }

        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
    }

    private sealed class CopiedRows(IReadOnlyList<string> rows) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements() => rows.Select(XElement.Parse).ToList();

        public void StoreElement(XElement element, string friendlyName) => throw new InvalidOperationException("a copy is read only");
    }
}
