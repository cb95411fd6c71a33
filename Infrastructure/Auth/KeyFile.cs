using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Infrastructure.Auth;

/// <summary>
/// The certificate that encrypts the Data Protection keys at rest, kept in a file outside the database
/// (<c>Portal:KeyCertificatePath</c>, <c>App_Data/keys.pfx</c> unless set; <c>Portal:KeyCertificatePassword</c> its
/// password, if any). A copy of the database alone then cannot read the keys, nor the service passwords and cookies they
/// protect. On first start the file is created; set the path to an empty value to keep the keys unencrypted (the start-up
/// log and the admin home then warn). Several instances of a farm need the same file: create it once and copy it to each.
/// </summary>
public sealed class KeyFile
{
    public const string DefaultPath = "App_Data/keys.pfx";

    public KeyFile(IConfiguration configuration)
    {
        var configured = configuration["Portal:KeyCertificatePath"];
        if (configured is { Length: 0 })
        {
            return;
        }

        Path = System.IO.Path.GetFullPath(configured ?? DefaultPath, configuration[HostDefaults.ContentRootKey] ?? Directory.GetCurrentDirectory());
        var password = configuration["Portal:KeyCertificatePassword"];
        if (!File.Exists(Path))
        {
            Created = Create(Path, password);
        }

        Certificate = X509CertificateLoader.LoadPkcs12FromFile(Path, password);
        if (!Certificate.HasPrivateKey)
        {
            throw new InvalidOperationException($"Portal:KeyCertificatePath ({Path}) must hold the certificate's private key, to decrypt the keys.");
        }
    }

    /// <summary>The file's full path; null when encryption is turned off.</summary>
    public string? Path { get; }

    /// <summary>This start wrote the file (said in the start-up log, with what to back up).</summary>
    public bool Created { get; }

    /// <summary>The certificate with its private key; null when encryption is turned off.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>A new self-signed certificate, written only if no file exists yet, readable by the portal's user alone.</summary>
    private static bool Create(string path, string? password)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=Portal Data Protection keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(100));
        var bytes = certificate.Export(X509ContentType.Pfx, password);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        // Written aside, then moved into place: a process starting at the same moment reads a whole file or none.
        var written = $"{path}.{Guid.NewGuid():N}.tmp";
        using (var file = new FileStream(written, options))
        {
            file.Write(bytes);
        }

        try
        {
            File.Move(written, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: that one is the file.
            File.Delete(written);
            return false;
        }
    }
}

/// <summary>What the admin home warns about: keys stored unencrypted in the database, counted at start-up.</summary>
public sealed class KeyRingStatus(KeyFile file)
{
    /// <summary>False when <c>Portal:KeyCertificatePath</c> is turned off.</summary>
    public bool Encrypts => file.Certificate is not null;

    public int UnencryptedKeys { get; set; }
}
