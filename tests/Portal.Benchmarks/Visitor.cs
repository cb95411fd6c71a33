using System.Net;
using System.Text.RegularExpressions;

namespace Portal.Benchmarks;

/// <summary>A browser without redirects: signs in through the real forms and hands its cookies to wrk.</summary>
public sealed partial class Visitor : IDisposable
{
    private readonly CookieContainer _cookies = new();
    private readonly HttpClient _client;
    private readonly Uri _base;

    public Visitor(Uri baseUri)
    {
        _base = baseUri;
        _client = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false }) { BaseAddress = baseUri };
    }

    /// <summary>Every cookie this visitor holds for <paramref name="path"/>, as one Cookie header.</summary>
    public string CookieHeader(string path = "/") => _cookies.GetCookieHeader(new Uri(_base, path));

    public async Task<(HttpStatusCode Status, string Body, string? Location)> GetAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.OriginalString);
    }

    /// <summary>Reads the response as it arrives, counting its lines without keeping them (for a large download).</summary>
    public async Task<(HttpStatusCode Status, long Lines)> CountLinesAsync(string path)
    {
        using var response = await _client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = 0L;
        while (await reader.ReadLineAsync() is not null)
        {
            lines++;
        }

        return (response.StatusCode, lines);
    }

    public async Task<(HttpStatusCode Status, string Body, string? Location)> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> form)
    {
        using var response = await _client.PostAsync(path, new FormUrlEncodedContent(form));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.OriginalString);
    }

    /// <summary>Loads <paramref name="page"/> and posts its form with the antiforgery token it carries.</summary>
    public async Task<(HttpStatusCode Status, string Body, string? Location)> SubmitAsync(string page, Dictionary<string, string> fields, string? action = null)
    {
        var token = await TokenAsync(page);
        return await PostAsync(action ?? page, fields.Append(new("__RequestVerificationToken", token)));
    }

    public async Task<string> TokenAsync(string page)
    {
        var (status, body, _) = await GetAsync(page);
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {page} answered {(int)status}.");
        }

        return TokenIn(body);
    }

    public static string TokenIn(string body) =>
        AntiforgeryToken().Match(body) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("The page has no antiforgery token.");

    public async Task SignInAsync(string email, string password, bool admin = false)
    {
        var page = admin ? "/admin/login" : "/login";
        var (status, body, location) = await SubmitAsync(page, new() { ["Input.Email"] = email, ["Input.Password"] = password });
        if (status != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in as {email} answered {(int)status} at {location}: {Excerpt(body)}");
        }
    }

    public static string Excerpt(string body) => body.Length > 300 ? body[..300] : body;

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
