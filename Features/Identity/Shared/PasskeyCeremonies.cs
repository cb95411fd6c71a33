using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Email;

namespace Portal.Features.Identity;

/// <summary>What a passkey ceremony is for: registering a new passkey, or signing in (alone, or as the second step of a password login).</summary>
public enum PasskeyCeremony
{
    Register,
    SignIn,
}

/// <summary>A ceremony's options as the server made them, read back from this browser's protected cookie.</summary>
public sealed record PasskeyChallenge(PasskeyCeremony Purpose, int? UserId, string OptionsJson, DateTimeOffset ExpiresAt);

/// <summary>
/// The WebAuthn ceremonies (Fido2 does every check of the browser's answer: challenge, origin, RP id, signature, user
/// presence and verification). The options of a ceremony live in an HttpOnly cookie of this browser, encrypted and
/// signed by Data Protection and good for <see cref="Lifetime"/>; a challenge answered is recorded, so it never counts
/// twice. The relying party is the host of <c>Portal:BaseUrl</c>, and only that origin is accepted.
/// </summary>
public sealed class PasskeyCeremonies(IHttpContextAccessor http, IDataProtectionProvider protection, IOptions<PortalOptions> portal, IConfiguration configuration, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly IDataProtector _protector = protection.CreateProtector("Portal.PasskeyCeremony");

    public IFido2 Fido2 { get; } = new Fido2(Configuration(portal.Value.BaseUrl));

    private static Fido2Configuration Configuration(string baseUrl)
    {
        var origin = new Uri(baseUrl);
        return new Fido2Configuration
        {
            RPID = origin.Host,
            RPName = "Portal",
            Origins = new HashSet<string> { origin.GetLeftPart(UriPartial.Authority) },
            Timeout = (uint)Lifetime.TotalMilliseconds,
        };
    }

    /// <summary>A challenge's hash, the key under which its use is recorded (<see cref="UsedPasskeyChallenge"/>).</summary>
    public static string HashOf(byte[] challenge) => Convert.ToHexString(SHA256.HashData(challenge));

    /// <summary>
    /// Records the challenge as answered, in the caller's write unit; false when it was answered before. Rows of
    /// challenges whose minutes are over go, since no answer to them would be accepted anyway.
    /// </summary>
    public static async Task<bool> SpendAsync(Portal.Infrastructure.Data.PortalDbContext db, byte[] challenge, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hash = HashOf(challenge);
        if (await db.UsedPasskeyChallenges.AnyAsync(c => c.Hash == hash, cancellationToken))
        {
            return false;
        }

        await db.UsedPasskeyChallenges.Where(c => c.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        db.UsedPasskeyChallenges.Add(UsedPasskeyChallenge.Of(hash, expiresAt));
        return true;
    }

    /// <summary>The WebAuthn user handle of a login: its id, which says nothing about the person.</summary>
    public static byte[] UserHandle(int userId) => Encoding.UTF8.GetBytes(userId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Options for a new passkey of <paramref name="user"/>: a discoverable credential, with user verification, none of the existing ones again.</summary>
    public string StartRegistration(User user, IEnumerable<byte[]> existing)
    {
        var options = Fido2.RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = UserHandle(user.Id), Name = user.Email!, DisplayName = $"{user.FirstName} {user.LastName}".Trim() },
            ExcludeCredentials = existing.Select(id => new PublicKeyCredentialDescriptor(id)).ToList(),
            AuthenticatorSelection = new AuthenticatorSelection { ResidentKey = ResidentKeyRequirement.Required, UserVerification = UserVerificationRequirement.Required },
            AttestationPreference = AttestationConveyancePreference.None,
        });
        var json = options.ToJson();
        Save(PasskeyCeremony.Register, user.Id, json);
        return json;
    }

    /// <summary>Options for signing in: any passkey of the site, or (as a second factor) only those of <paramref name="userId"/>.</summary>
    public string StartSignIn(int? userId, IEnumerable<byte[]> allowed)
    {
        var options = Fido2.GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = allowed.Select(id => new PublicKeyCredentialDescriptor(id)).ToList(),
            UserVerification = UserVerificationRequirement.Required,
        });
        var json = options.ToJson();
        Save(PasskeyCeremony.SignIn, userId, json);
        return json;
    }

    /// <summary>The ceremony this browser started for <paramref name="purpose"/>, if its cookie is genuine and its minutes are not over.</summary>
    public PasskeyChallenge? Read(PasskeyCeremony purpose)
    {
        if (Context.Request.Cookies[CookieName(purpose)] is not { Length: > 0 } value)
        {
            return null;
        }

        try
        {
            var challenge = JsonSerializer.Deserialize<PasskeyChallenge>(_protector.Unprotect(value));
            return challenge is not null && challenge.Purpose == purpose && challenge.ExpiresAt > time.GetUtcNow() ? challenge : null;
        }
        catch (Exception e) when (e is CryptographicException or JsonException)
        {
            return null;
        }
    }

    public void End(PasskeyCeremony purpose) => Context.Response.Cookies.Delete(CookieName(purpose), Options(purpose));

    private void Save(PasskeyCeremony purpose, int? userId, string optionsJson)
    {
        var challenge = new PasskeyChallenge(purpose, userId, optionsJson, time.GetUtcNow() + Lifetime);
        var options = Options(purpose);
        options.MaxAge = Lifetime;
        Context.Response.Cookies.Append(CookieName(purpose), _protector.Protect(JsonSerializer.Serialize(challenge)), options);
    }

    private CookieOptions Options(PasskeyCeremony purpose) => new()
    {
        HttpOnly = true,
        Secure = CookieNames.For(configuration).Secure || Context.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        IsEssential = true,
    };

    private string CookieName(PasskeyCeremony purpose) =>
        (CookieNames.For(configuration).Secure ? "__Host-" : "") + (purpose == PasskeyCeremony.Register ? "portal-passkey-new" : "portal-passkey-sign-in");

    private HttpContext Context => http.HttpContext ?? throw new InvalidOperationException("No HTTP request.");
}

/// <summary>What the passkey pages say when they refuse.</summary>
public static class PasskeyText
{
    public const string StartAgain = "The passkey request has ended. Please start again.";
    public const string NotCreated = "The passkey could not be checked, so it was not added. Please try again.";
    public const string NotSignedIn = "That passkey did not sign you in. Try again, or log in with your password.";
    public const string Gone = "That passkey has already been removed.";
    public const string AlreadyRegistered = "That passkey is already registered.";
}

/// <summary>The browser's WebAuthn answers, read with Fido2's own models; anything unreadable is a refusal, never an error.</summary>
public static class PasskeyJson
{
    public static T? Read<T>(string? json)
        where T : class
    {
        try
        {
            return string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<T>(json);
        }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>What Fido2 throws at an answer it refuses (or cannot read), as opposed to a fault of the app.</summary>
    public static bool IsRefusal(Exception e) =>
        e is Fido2VerificationException or JsonException or FormatException or ArgumentException or InvalidOperationException or NullReferenceException
            or System.Formats.Cbor.CborContentException or System.Security.Cryptography.CryptographicException or IndexOutOfRangeException;
}
