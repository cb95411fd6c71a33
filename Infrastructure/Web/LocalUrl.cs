using System.Text;

namespace Portal.Infrastructure.Web;

/// <summary>
/// Decides whether a <c>returnUrl</c> may be followed: only a path on this site, in any encoding. What it returns is
/// always a valid Location header: characters outside ASCII (<c>/été</c>) are percent-encoded, never sent raw.
/// </summary>
public static class LocalUrl
{
    public static bool IsSafe(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > 2048 || !IsWellFormedText(url))
        {
            return false;
        }

        var decoded = url;
        for (var i = 0; i < 3; i++)
        {
            decoded = Uri.UnescapeDataString(decoded);
        }

        return IsPlainLocalPath(url) && IsPlainLocalPath(decoded);
    }

    /// <summary>The url, percent-encoded for a Location header, if it is safe; otherwise the fallback.</summary>
    public static string OrDefault(string? url, string fallback = "/dashboard") => IsSafe(url) ? Encode(url!) : fallback;

    /// <summary>Percent-encodes (as UTF-8) every character a header may not carry; an ASCII url is returned unchanged.</summary>
    public static string Encode(string url)
    {
        if (url.All(c => c is > ' ' and < '\u007f'))
        {
            return url;
        }

        var builder = new StringBuilder(url.Length * 2);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in url.EnumerateRunes())
        {
            if (rune.Value is > ' ' and < 0x7f)
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..length])
            {
                builder.Append('%').Append(b.ToString("X2"));
            }
        }

        return builder.ToString();
    }

    private static bool IsPlainLocalPath(string url) =>
        url.StartsWith('/')
        && !url.StartsWith("//", StringComparison.Ordinal)
        && !url.Contains('\\')
        && !url.Any(char.IsControl);

    /// <summary>Refuses text that is not valid Unicode (a lone surrogate cannot be encoded).</summary>
    private static bool IsWellFormedText(string url)
    {
        for (var i = 0; i < url.Length; i++)
        {
            if (char.IsHighSurrogate(url[i]) && i + 1 < url.Length && char.IsLowSurrogate(url[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(url[i]))
            {
                return false;
            }
        }

        return true;
    }
}
