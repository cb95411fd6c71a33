namespace Portal.Infrastructure.Web;

/// <summary>
/// The Host headers served when <c>AllowedHosts</c> is not set: the host of <c>Portal:BaseUrl</c>, and for a site on
/// this machine (localhost, 127.0.0.1, ::1) every name of it, so <c>dotnet run</c> answers however it is reached.
/// </summary>
public static class AllowedHosts
{
    private static readonly string[] Loopback = ["localhost", "127.0.0.1", "[::1]"];

    public static IList<string> From(string? baseUrl)
    {
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri))
        {
            return Loopback;
        }

        return uri.IsLoopback ? [.. Loopback.Append(uri.Host).Distinct(StringComparer.OrdinalIgnoreCase)] : [uri.Host];
    }
}
