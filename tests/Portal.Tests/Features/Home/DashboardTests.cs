using System.Net;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Tests.Features.Support;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;
using Portal.Features.Support;
using Portal.Tests.Features.Identity;

namespace Portal.Tests.Features.Home;

[Collection(HomeCollection.Name)]
public sealed class DashboardTests(PortalFixture portal)
{
    [Fact]
    public async Task A_new_registration_is_welcomed_and_later_visits_are_welcomed_back()
    {
        using var browser = portal.NewBrowser();
        var response = await browser.SubmitAsync("/register", RegisterTests.Form(PortalFixture.UniqueEmail("rita")));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var first = await browser.GetAsync("/dashboard");
        var second = await browser.GetAsync("/dashboard");

        Assert.StartsWith("Welcome, Rita.", first.Document.QuerySelector("[data-welcome]")!.TextContent.Trim());
        Assert.StartsWith("Welcome back, Rita.", second.Document.QuerySelector("[data-welcome]")!.TextContent.Trim());
    }

    [Fact]
    public async Task The_owner_sees_the_team_the_recent_activity_and_a_tile_per_area_each_leading_to_its_list()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Team Tiles Ltd");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Invoices);
        using var browser = await portal.LoginAsync(owner.Email!);
        await browser.SubmitAsync("/account/users/invite", new() { ["Input.Email"] = PortalFixture.UniqueEmail("invitee") });
        var requester = new Sender(owner.Email!, owner.FullName, owner.Id);
        await portal.TicketAsync(client.Id, requester, "Mail bounces");
        await portal.TicketAsync(client.Id, requester, "Site slow");

        var page = await browser.GetAsync("/dashboard");

        Assert.Contains("as its owner", page.Document.QuerySelector("[data-role]")!.TextContent);
        Assert.Equal("2 users", page.Document.QuerySelector("[data-team-users]")!.TextContent);
        Assert.Contains("1 invitation is waiting for an answer", page.Document.QuerySelector("[data-team-pending]")!.TextContent);
        Assert.NotNull(page.Document.QuerySelector("[data-team] a[href='/account/users']"));
        Assert.Contains("Invited", page.Document.QuerySelector("[data-recent-activity] li")!.TextContent);
        Assert.NotNull(page.Document.QuerySelector("[data-recent-activity] a[href='/account/activity']"));
        var tickets = page.Document.QuerySelector("a[data-tile=tickets]")!;
        Assert.Equal("/tickets", tickets.GetAttribute("href"));
        Assert.Contains("2", tickets.TextContent);
        Assert.Equal("/services", page.Document.QuerySelector("a[data-tile=services]")!.GetAttribute("href"));
        Assert.StartsWith("/invoices", page.Document.QuerySelector("a[data-tile=invoices]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task A_limited_user_sees_only_what_their_permissions_open_and_never_an_area_the_portal_lacks()
    {
        var (_, client) = await portal.CreateOwnerAsync("Limited View Ltd");
        var payer = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, payer.Id, Permission.Invoices, Permission.Domains, Permission.Quotes);
        var domainsOnly = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, domainsOnly.Id, Permission.Domains);

        using (var browser = await portal.LoginAsync(payer.Email!))
        {
            var page = await browser.GetAsync("/dashboard");

            Assert.Contains("as a user with 3 permissions", page.Document.QuerySelector("[data-role]")!.TextContent);
            Assert.NotNull(page.Document.QuerySelector("a[data-tile=invoices]"));
            Assert.Null(page.Document.QuerySelector("[data-tile=services]"));
            Assert.Null(page.Document.QuerySelector("[data-tile=tickets]"));
            Assert.Null(page.Document.QuerySelector("[data-tile=orders]"));
            Assert.Null(page.Document.QuerySelector("[data-team]"));
            Assert.Null(page.Document.QuerySelector("[data-recent-activity]"));
            var areas = page.Document.QuerySelectorAll("[data-areas] a").Select(a => a.GetAttribute("href")).ToList();
            Assert.Equal(["/invoices"], areas);
            Assert.DoesNotContain("Domain", page.Document.QuerySelector("[data-areas]")!.TextContent);
        }

        using var limited = await portal.LoginAsync(domainsOnly.Email!);
        var empty = await limited.GetAsync("/dashboard");
        Assert.NotNull(empty.Document.QuerySelector("[data-no-areas]"));
        Assert.Empty(empty.Document.QuerySelectorAll("[data-tile]"));
    }
}
