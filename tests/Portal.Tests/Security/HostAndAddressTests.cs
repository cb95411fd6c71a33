using System.Net;
using Portal.Infrastructure.Web;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>
/// What the request's own Host header and address may change: nothing. Redirects name a path, not a host; a Host other
/// than the configured site is refused; an unknown address is a 404 for every visitor, in either area.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class HostAndAddressTests(PortalFixture portal)
{
    [Fact]
    public async Task The_redirect_to_the_login_names_a_path_not_the_requested_host()
    {
        using var anonymous = portal.NewBrowser();

        var response = await anonymous.Client.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(response.Headers.Location!.IsAbsoluteUri, $"absolute redirect {response.Headers.Location}");
        Assert.StartsWith("/login?returnUrl=", response.Headers.Location.OriginalString);
    }

    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/login")]
    [InlineData("/admin/clients")]
    public async Task A_request_for_another_host_is_refused(string path)
    {
        using var browser = portal.NewBrowser();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "evil.example";

        using var response = await browser.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("evil.example", response.Headers.Location?.OriginalString ?? "");
    }

    [Theory]
    [InlineData("http://localhost:5000", "localhost")]
    [InlineData("http://127.0.0.1:5123", "127.0.0.1")]
    [InlineData("https://portal.example.com", "portal.example.com")]
    public void Without_allowed_hosts_set_the_site_answers_to_the_host_of_its_base_url(string baseUrl, string host)
    {
        var hosts = AllowedHosts.From(baseUrl);

        Assert.Contains(host, hosts);
        Assert.DoesNotContain("*", hosts);
        Assert.Equal(new Uri(baseUrl).IsLoopback, hosts.Contains("localhost") && hosts.Contains("127.0.0.1"));
    }

    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/admin/no-such-page")]
    [InlineData("/admin/clients/extra/segments/here")]
    public async Task An_unknown_address_is_a_404_for_a_signed_in_admin(string path)
    {
        using var admin = await portal.CreateAdminBrowserAsync();

        var page = await admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Contains("does not exist", page.Text);
        Assert.Equal(path.StartsWith("/admin/", StringComparison.Ordinal), page.Document.QuerySelector("nav[aria-label=Admin] a[href='/admin/users']") is not null);
    }

    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/admin/no-such-page")]
    [InlineData("/wp-login.php")]
    public async Task An_unknown_address_is_a_404_for_an_anonymous_visitor(string path)
    {
        using var anonymous = portal.NewBrowser();

        var page = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
    }

    [Theory]
    [InlineData("/été", "/%C3%A9t%C3%A9")]
    [InlineData("/dashboard?q=naïve", "/dashboard?q=na%C3%AFve")]
    [InlineData("/a b", "/a%20b")]
    [InlineData("/dashboard", "/dashboard")]
    public void A_safe_return_url_is_followed_percent_encoded(string url, string followed) =>
        Assert.Equal(followed, LocalUrl.OrDefault(url));

    [Fact]
    public void A_return_url_that_is_not_valid_text_is_refused() =>
        Assert.Equal("/dashboard", LocalUrl.OrDefault("/" + '\uD800' + "x"));

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("/%2F%2Fevil.example")]
    public void An_unsafe_return_url_is_refused(string url) =>
        Assert.Equal("/dashboard", LocalUrl.OrDefault(url));
}
