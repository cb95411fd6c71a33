using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Identity;

[Collection(IdentityCollection.Name)]
public sealed class ForgotPasswordTests(PortalFixture portal)
{
    private const string ForgedHost = "portal.test:6666";

    [Fact]
    public async Task Known_and_unknown_addresses_get_the_same_page_and_only_a_known_one_gets_mail()
    {
        var user = await portal.CreateUserAsync();
        var unknown = PortalFixture.UniqueEmail("nobody");
        using var browser = portal.NewBrowser();

        var knownResponse = await browser.SubmitAsync("/password/forgot", new() { ["Input.Email"] = user.Email! });
        var knownPage = await browser.FollowAsync(knownResponse);
        var unknownResponse = await browser.SubmitAsync("/password/forgot", new() { ["Input.Email"] = unknown });
        var unknownPage = await browser.FollowAsync(unknownResponse);

        Assert.Equal(knownResponse.StatusCode, unknownResponse.StatusCode);
        Assert.Equal(knownResponse.Headers.Location, unknownResponse.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, knownPage.Status);
        Assert.Equal(HttpStatusCode.OK, unknownPage.Status);
        Assert.Equal(knownPage.Document.QuerySelector("main")!.TextContent, unknownPage.Document.QuerySelector("main")!.TextContent);
        Assert.Contains("If an account exists for that address, we have sent a link", knownPage.Text);
        Assert.Single(await portal.MessagesToAsync(user.Email!));
        Assert.Empty(await portal.MessagesToAsync(unknown));
    }

    [Fact]
    public async Task A_forged_host_header_does_not_change_the_mailed_link()
    {
        var user = await portal.CreateUserAsync();
        using var browser = portal.NewBrowser();
        var page = await browser.GetAsync("/password/forgot");

        // Another host is refused outright (HostAndAddressTests); another port of this one reaches the page.
        browser.Client.DefaultRequestHeaders.Host = ForgedHost;
        var response = await browser.SubmitAsync(page, new() { ["Input.Email"] = user.Email! });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var message = Assert.Single(await portal.MessagesToAsync(user.Email!));
        Assert.DoesNotContain(ForgedHost, message.TextBody);
        Assert.DoesNotContain(ForgedHost, message.HtmlBody);
        Assert.Contains(PortalFactory.BaseUrl + "/password/reset?user=" + user.Id + "&token=", message.TextBody);
    }

    [Fact]
    public async Task Requests_are_logged_without_the_token()
    {
        var user = await portal.CreateUserAsync();
        using var browser = portal.NewBrowser();

        await browser.SubmitAsync("/password/forgot", new() { ["Input.Email"] = user.Email! });

        var link = await portal.LatestResetLinkAsync(user.Email!);
        var token = link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..];
        var entries = await portal.WithDbAsync(db => db.ActivityLog.Where(e => e.UserId == user.Id).Select(e => e.Description).ToListAsync());
        Assert.Contains($"Password reset email sent to {user.Email}", entries);
        Assert.DoesNotContain(entries, e => e.Contains(token));
    }
}
