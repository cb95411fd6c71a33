using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using OtpNet;
using QRCoder;

namespace Portal.Features.Identity;

/// <summary>
/// Authenticator-app codes (TOTP, RFC 6238: six digits, 30-second steps, HMAC-SHA1, what every app reads from an
/// <c>otpauth://</c> QR code). A code of this step or the one before or after is accepted (clocks drift); each step's
/// code is good once. Keys are stored protected by the Data Protection key ring, so a copy of the database holds none.
/// "Now" comes from <see cref="TimeProvider"/>, so the tests move through the windows.
/// </summary>
public sealed class Authenticator(IDataProtectionProvider protection, TimeProvider time, IConfiguration configuration)
{
    public const string WrongCode = "That code is not right. Enter the current six-digit code from your authenticator app, or a recovery code.";

    private readonly IDataProtector _protector = protection.CreateProtector("Portal.AuthenticatorKey");

    /// <summary>A new 160-bit key in base32, as apps take it typed in.</summary>
    public static string NewKey() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));

    public string Protect(string key) => _protector.Protect(key);

    public string? Unprotect(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return null;
        }

        try
        {
            return _protector.Unprotect(stored);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>
    /// The time step the code belongs to when it is right for <paramref name="key"/> now and newer than
    /// <paramref name="lastStep"/> (a code is good once), else null.
    /// </summary>
    public long? Verify(string key, string? code, long? lastStep)
    {
        var digits = new string((code ?? "").Where(c => c is not (' ' or '-')).ToArray());
        if (digits.Length != 6 || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }

        var totp = new Totp(Base32Encoding.ToBytes(key));
        return totp.VerifyTotp(time.GetUtcNow().UtcDateTime, digits, out var step, new VerificationWindow(previous: 1, future: 1)) && step > (lastStep ?? -1)
            ? step
            : null;
    }

    /// <summary>The key as people type it: groups of four.</summary>
    public static string Readable(string key) => string.Join(" ", key.Chunk(4).Select(c => new string(c)));

    /// <summary>The <c>otpauth://</c> address the QR code holds (Google's key-uri format, read by every authenticator app).</summary>
    public string UriFor(string account, string key)
    {
        var issuer = configuration["Portal:CompanyName"] is { Length: > 0 } name ? name : "Portal";
        return $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(account)}?secret={key}&issuer={Uri.EscapeDataString(issuer)}&digits=6&period=30";
    }

    /// <summary>The QR code as inline SVG markup, drawn on the server (no script, no image request, nothing the CSP refuses).</summary>
    public static string QrSvg(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4);
    }
}
