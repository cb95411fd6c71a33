using System.Net;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;

namespace Portal.Tests.Security;

/// <summary>
/// The response headers of SECURITY.md on every kind of response the app sends: pages, redirects, error and refusal
/// pages, rate-limit answers, static files, 304s and the health check.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class HeaderTests(PortalFixture portal) : IDisposable
{
    private readonly List<Browser> _browsers = [];

    public static TheoryData<string> Responses =>
    [
        "anonymous page", "signed-in page", "admin page", "redirect to login", "404 page", "signed-in 404 page", "signed-in unknown address", "403 page",
        "400 without antiforgery", "429 page", "stylesheet", "favicon", "304 for a static file", "health check",
    ];

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task Every_kind_of_response_carries_the_security_headers(string kind)
    {
        var (response, signedIn) = await ResponseOfKindAsync(kind);

        var csp = Directives(Header(response, "Content-Security-Policy"));
        Assert.Equal("'none'", csp.GetValueOrDefault("object-src"));
        Assert.Equal("'none'", csp.GetValueOrDefault("base-uri"));
        Assert.Equal("'none'", csp.GetValueOrDefault("frame-ancestors"));
        var scripts = csp.GetValueOrDefault("script-src") ?? csp.GetValueOrDefault("default-src");
        Assert.NotNull(scripts);
        Assert.DoesNotContain("'unsafe-inline'", scripts);
        Assert.DoesNotContain("'unsafe-eval'", scripts);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.False(string.IsNullOrWhiteSpace(Header(response, "Referrer-Policy")), "no Referrer-Policy");
        Assert.Matches(@"^max-age=\d{7,}", Header(response, "Strict-Transport-Security") ?? "");
        if (signedIn)
        {
            Assert.Contains("no-store", Header(response, "Cache-Control") ?? "");
        }
    }

    private async Task<(HttpResponseMessage Response, bool SignedIn)> ResponseOfKindAsync(string kind)
    {
        switch (kind)
        {
            case "anonymous page":
                return (Expect(await Track(portal.NewBrowser()).Client.GetAsync("/login"), HttpStatusCode.OK), false);
            case "signed-in page":
            {
                var (owner, _) = await portal.CreateOwnerAsync();
                var browser = Track(await portal.LoginAsync(owner.Email!));
                return (Expect(await browser.Client.GetAsync("/account/users"), HttpStatusCode.OK), true);
            }

            case "admin page":
            {
                var admin = Track(await portal.CreateAdminBrowserAsync());
                return (Expect(await admin.Client.GetAsync("/admin/clients"), HttpStatusCode.OK), true);
            }

            case "redirect to login":
                return (Expect(await Track(portal.NewBrowser()).Client.GetAsync("/dashboard"), HttpStatusCode.Redirect), false);
            case "404 page":
                // An unknown invitation link, the 404 an anonymous visitor meets most.
                return (Expect(await Track(portal.NewBrowser()).Client.GetAsync("/invite/no-such-invitation"), HttpStatusCode.NotFound), false);
            case "signed-in unknown address":
            {
                var (owner, _) = await portal.CreateOwnerAsync();
                var browser = Track(await portal.LoginAsync(owner.Email!));
                return (Expect(await browser.Client.GetAsync("/no-such-page"), HttpStatusCode.NotFound), true);
            }

            case "signed-in 404 page":
            {
                var (owner, _) = await portal.CreateOwnerAsync();
                var browser = Track(await portal.LoginAsync(owner.Email!));
                return (Expect(await browser.Client.GetAsync("/account/users/999999/permissions"), HttpStatusCode.NotFound), true);
            }

            case "403 page":
            {
                var (_, client) = await portal.CreateOwnerAsync();
                var member = await portal.CreateUserAsync();
                await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
                var browser = Track(await portal.LoginAsync(member.Email!));
                return (Expect(await browser.Client.GetAsync("/account/profile"), HttpStatusCode.Forbidden), true);
            }

            case "400 without antiforgery":
            {
                var browser = Track(portal.NewBrowser());
                await browser.GetAsync("/login");
                var response = await browser.PostAsync("/login", [new("Input.Email", "nobody@example.test"), new("Input.Password", "whatever it is")]);
                return (Expect(response, HttpStatusCode.BadRequest), false);
            }

            case "429 page":
            {
                // Token pages count every request per address (30 a minute): one visitor trying links gets a 429 soon.
                var browser = Track(portal.NewBrowser());
                for (var i = 0; i < 200; i++)
                {
                    var response = await browser.Client.GetAsync($"/invite/guess{i}");
                    if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        return (response, false);
                    }
                }

                throw new Xunit.Sdk.XunitException("200 requests to token pages from one address were never limited");
            }

            case "stylesheet":
                return (Expect(await Track(portal.NewBrowser()).Client.GetAsync("/lib/bootstrap/bootstrap.min.css"), HttpStatusCode.OK), false);
            case "favicon":
                return (Expect(await Track(portal.NewBrowser()).Client.GetAsync("/favicon.ico"), HttpStatusCode.OK), false);
            case "304 for a static file":
            {
                var client = Track(portal.NewBrowser()).Client;
                var first = Expect(await client.GetAsync("/lib/bootstrap/bootstrap.min.css"), HttpStatusCode.OK);
                var request = new HttpRequestMessage(HttpMethod.Get, "/lib/bootstrap/bootstrap.min.css");
                request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
                return (Expect(await client.SendAsync(request), HttpStatusCode.NotModified), false);
            }

            case "health check":
                return (Expect(await Track(portal.NewBrowser()).Client.GetAsync("/healthz"), HttpStatusCode.OK), false);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    public void Dispose()
    {
        foreach (var browser in _browsers)
        {
            browser.Dispose();
        }
    }

    private Browser Track(Browser browser)
    {
        _browsers.Add(browser);
        return browser;
    }

    private static HttpResponseMessage Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        return response;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;

    private static Dictionary<string, string> Directives(string? policy)
    {
        Assert.False(string.IsNullOrWhiteSpace(policy), "no Content-Security-Policy");
        return policy!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', 2))
            .ToDictionary(p => p[0].ToLowerInvariant(), p => p.Length > 1 ? p[1] : "");
    }
}
