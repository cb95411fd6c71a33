using System.Net;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Home;

[Collection(HomeCollection.Name)]
public sealed class ErrorPageTests(PortalFixture portal)
{
    [Fact]
    public async Task An_unexpected_error_shows_a_generic_page_with_a_request_id_and_no_details()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(owner.Email!);

        var page = await browser.GetAsync(PortalFactory.ThrowPath);

        Assert.Equal(HttpStatusCode.InternalServerError, page.Status);
        Assert.Contains("Sorry, something went wrong on our side", page.Text);
        Assert.False(string.IsNullOrWhiteSpace(page.Document.QuerySelector("[data-request-id]")!.TextContent));
        Assert.DoesNotContain(PortalFactory.SecretDetail, page.Text);
        Assert.DoesNotContain("InvalidOperationException", page.Text);
        Assert.Contains(portal.Factory.Logs.Lines, l => l.Contains(PortalFactory.SecretDetail));
    }

    [Fact]
    public async Task An_unknown_page_shows_the_not_found_page_with_a_request_id()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(owner.Email!);

        var page = await browser.GetAsync("/no/such/page");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("Not Found", page.Document.QuerySelector("h1")!.TextContent);
        Assert.NotNull(page.Document.QuerySelector("[data-request-id]"));
    }
}
