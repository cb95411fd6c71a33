namespace Portal.Features.Identity;

/// <summary>
/// A passkey (WebAuthn credential) of a client login: its credential id (unique across the site, so it names one login
/// only), its public key and the signature counter it last reported, with the name its owner gave it.
/// </summary>
public sealed class Passkey
{
    public const int NameMax = 60;
    public const int CredentialIdMax = 1023;

    /// <summary>The most a browser's WebAuthn answer (JSON) may weigh when posted.</summary>
    public const int AnswerMax = 16_000;

    public int Id { get; private set; }
    public int UserId { get; private set; }
    public byte[] CredentialId { get; private set; } = [];
    public byte[] PublicKey { get; private set; } = [];
    public long SignCount { get; private set; }
    public string Name { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? LastUsedAt { get; private set; }

    private Passkey()
    {
    }

    public static Passkey Register(int userId, byte[] credentialId, byte[] publicKey, uint signCount, string name, DateTimeOffset now) => new()
    {
        UserId = userId,
        CredentialId = credentialId,
        PublicKey = publicKey,
        SignCount = signCount,
        Name = name,
        CreatedAt = now,
    };
}

/// <summary>
/// A WebAuthn challenge that was answered: stored (as a hash) so that the same challenge, and so the same signed
/// answer, is never accepted twice. Rows are useless once the challenge's few minutes are over and are deleted then.
/// </summary>
public sealed class UsedPasskeyChallenge
{
    public string Hash { get; private set; } = "";
    public DateTimeOffset ExpiresAt { get; private set; }

    private UsedPasskeyChallenge()
    {
    }

    public static UsedPasskeyChallenge Of(string hash, DateTimeOffset expiresAt) => new() { Hash = hash, ExpiresAt = expiresAt };
}
