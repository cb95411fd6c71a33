using System.Security.Cryptography;
using System.Text;

namespace Portal.Features.Identity;

/// <summary>
/// One of the ten one-time codes that stand in for the authenticator app. Only its SHA-256 hash is stored: a code
/// carries 80 random bits, so the hash needs no slow function. Using one deletes its row.
/// </summary>
public sealed class RecoveryCode
{
    public const int Count = 10;

    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public long Id { get; private set; }
    public int? UserId { get; private set; }
    public int? AdminId { get; private set; }
    public string Hash { get; private set; } = "";

    private RecoveryCode()
    {
    }

    public static RecoveryCode ForUser(int userId, string code) => new() { UserId = userId, Hash = HashOf(code) };

    public static RecoveryCode ForAdmin(int adminId, string code) => new() { AdminId = adminId, Hash = HashOf(code) };

    /// <summary>Ten new codes as the user reads them: <c>ABCD-EFGH-JKLM-NPQR</c>, 16 characters of a 32-letter alphabet.</summary>
    public static IReadOnlyList<string> NewCodes() =>
        Enumerable.Range(0, Count).Select(_ => string.Join("-", Enumerable.Range(0, 4).Select(_ => RandomNumberGenerator.GetString(Alphabet, 4)))).ToList();

    /// <summary>Spaces, dashes and letter case do not matter when a code is typed.</summary>
    public static string HashOf(string code)
    {
        var canonical = new string(code.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Whether the typed text has the shape of a recovery code (so a six-digit app code is never looked up as one).</summary>
    public static bool LooksLikeOne(string? typed) => typed is not null && typed.Count(char.IsLetterOrDigit) == 16;
}
