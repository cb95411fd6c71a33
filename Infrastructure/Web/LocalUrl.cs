namespace Portal.Infrastructure.Web;

/// <summary>Decides whether a <c>returnUrl</c> may be followed: only a path on this site, in any encoding.</summary>
public static class LocalUrl
{
    public static bool IsSafe(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > 2048)
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

    public static string OrDefault(string? url, string fallback = "/dashboard") => IsSafe(url) ? url! : fallback;

    private static bool IsPlainLocalPath(string url) =>
        url.StartsWith('/')
        && !url.StartsWith("//", StringComparison.Ordinal)
        && !url.Contains('\\')
        && !url.Any(char.IsControl);
}
