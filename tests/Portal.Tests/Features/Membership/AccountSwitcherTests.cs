using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Clients;
using Portal.Features.Membership;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Membership;

/// <summary>
/// A user with several accounts comes back to the one they worked in last instead of choosing every time, and switches
/// from the bar without going through Choose Account; the menu is grouped so it fits one line.
/// </summary>
[Collection(MembershipCollection.Name)]
public sealed class AccountSwitcherTests(PortalFixture portal)
{
    [Fact]
    public async Task A_login_opens_the_account_last_worked_in_and_only_asks_when_there_is_none()
    {
        var user = await portal.CreateUserAsync();
        var first = await portal.CreateClientAsync(user.Id, "Morning Bakery");
        var second = await portal.CreateClientAsync(user.Id, "Evening Bistro");

        // Never used: the first login asks.
        using (var browser = portal.NewBrowser())
        {
            var login = await LoginAsync(browser, user.Email!);
            Assert.StartsWith("/user/accounts", login.Headers.Location!.PathAndQuery());
            await browser.ChooseAccountAsync(second.Id);
        }

        // The next login, in another browser, goes straight to the account chosen last time.
        using (var browser = portal.NewBrowser())
        {
            var login = await LoginAsync(browser, user.Email!);
            Assert.Equal("/dashboard", login.Headers.Location!.PathAndQuery());
            Assert.Equal(second.DisplayName, await ActiveAccountAsync(browser));
            await browser.ChooseAccountAsync(first.Id);
        }

        using (var browser = portal.NewBrowser())
        {
            await LoginAsync(browser, user.Email!);
            Assert.Equal(first.DisplayName, await ActiveAccountAsync(browser));
        }
    }

    [Fact]
    public async Task A_login_never_opens_a_remembered_account_that_was_closed_or_left_but_the_last_one_still_open()
    {
        var user = await portal.CreateUserAsync();
        var (_, shared) = await portal.CreateOwnerAsync("Harbour Shared Co");
        await portal.AssociateAsync(shared.Id, user.Id, Permission.Tickets);
        var own = await portal.CreateClientAsync(user.Id, "Own Quay Studio");
        var third = await portal.CreateClientAsync(user.Id, "Third Pier Shop");
        var fourth = await portal.CreateClientAsync(user.Id, "Fourth Dock Deli");

        using (var browser = await portal.LoginAsync(user.Email!))
        {
            await browser.ChooseAccountAsync(own.Id);
            await browser.ChooseAccountAsync(shared.Id);
        }

        // Removed from the account used last: the login opens the one used before it.
        await portal.WithDbAsync(db => db.ClientUsers.Where(cu => cu.ClientId == shared.Id && cu.UserId == user.Id).ExecuteDeleteAsync());
        using (var browser = portal.NewBrowser())
        {
            await LoginAsync(browser, user.Email!);
            Assert.Equal(own.DisplayName, await ActiveAccountAsync(browser));
        }

        // That one closed too: of the two open accounts left, neither was used yet, so the login asks.
        await portal.WithDbAsync(db => db.Clients.Where(c => c.Id == own.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ClientStatus.Closed)));
        using (var browser = portal.NewBrowser())
        {
            var login = await LoginAsync(browser, user.Email!);
            Assert.StartsWith("/user/accounts", login.Headers.Location!.PathAndQuery());
            var choose = await browser.GetAsync("/user/accounts");
            Assert.Null(choose.Document.QuerySelector("[data-active-account]"));
            Assert.NotNull(choose.Document.QuerySelector($"[data-client-id='{third.Id}']"));
            Assert.NotNull(choose.Document.QuerySelector($"[data-client-id='{fourth.Id}']"));
        }
    }

    [Fact]
    public async Task The_bar_offers_the_other_open_accounts_last_used_first_and_switches_with_a_post()
    {
        var user = await portal.CreateUserAsync();
        var alpha = await portal.CreateClientAsync(user.Id, "Alpha Anchors");
        var beta = await portal.CreateClientAsync(user.Id, "Beta Buoys");
        var gamma = await portal.CreateClientAsync(user.Id, "Gamma Gulls");
        var closed = await portal.CreateClientAsync(user.Id, "Shut Sails", ClientStatus.Closed);
        var (_, stranger) = await portal.CreateOwnerAsync("Stranger Ships");

        using var browser = await portal.LoginAsync(user.Email!);
        await browser.ChooseAccountAsync(gamma.Id);
        await browser.ChooseAccountAsync(alpha.Id);

        var dashboard = await browser.GetAsync("/dashboard");
        var switcher = dashboard.Document.QuerySelector("nav [data-account-switcher]")!;
        Assert.Equal(alpha.DisplayName, switcher.QuerySelector("[data-active-account]")!.TextContent);
        Assert.Equal("Account: " + alpha.DisplayName, switcher.QuerySelector("button#account-switcher")!.TextContent);
        var offered = switcher.QuerySelectorAll("[data-switch-to]").Select(b => b.TextContent).ToList();
        Assert.Equal([gamma.DisplayName, beta.DisplayName], offered);
        Assert.DoesNotContain(closed.DisplayName, switcher.TextContent);
        Assert.DoesNotContain(stranger.DisplayName, switcher.TextContent);
        Assert.All(switcher.QuerySelectorAll("form"), f =>
        {
            Assert.Equal("post", f.GetAttribute("method"));
            Assert.NotNull(f.QuerySelector("input[name=__RequestVerificationToken]"));
        });

        var switched = await browser.SubmitAsync(dashboard, [], $"nav form:has([data-switch-to='{beta.Id}'])");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal(beta.DisplayName, await ActiveAccountAsync(browser));

        // A stranger's account typed into the same form switches nothing.
        var refused = await browser.SubmitAsync("/user/accounts", new() { ["clientId"] = stranger.Id.ToString() }, $"[data-client-id='{alpha.Id}'] form");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("That account is not one of yours.", await refused.Content.ReadAsStringAsync());
        Assert.Equal(beta.DisplayName, await ActiveAccountAsync(browser));
    }

    [Fact]
    public async Task The_menu_groups_the_pages_and_a_group_with_one_page_is_that_page()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Grouped Menu Co");
        var colleague = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, colleague.Id, Permission.Invoices, Permission.Tickets, Permission.Emails);

        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        var nav = (await ownerBrowser.GetAsync("/account/users")).Document.QuerySelector("nav[aria-label=Main] .navbar-nav")!;
        Assert.Equal(["Dashboard", "Services", "Invoices", "Support", "Account"],
            nav.Children.Select(li => li.QuerySelector("a, button")!.TextContent.Trim()).ToList());
        Assert.Equal(["Tickets", "Emails"], Group(nav, "Support"));
        Assert.Equal(["Account Profile", "Contacts", "User Management", "Activity"], Group(nav, "Account"));
        Assert.Equal("page", nav.QuerySelector("a[href='/account/users']")!.GetAttribute("aria-current"));

        using var colleagueBrowser = await portal.LoginAsync(colleague.Email!);
        var theirs = (await colleagueBrowser.GetAsync("/dashboard")).Document.QuerySelector("nav[aria-label=Main] .navbar-nav")!;
        Assert.Equal(["Dashboard", "Invoices", "Support"], theirs.Children.Select(li => li.QuerySelector("a, button")!.TextContent.Trim()).ToList());
        Assert.Equal(["Tickets", "Emails"], Group(theirs, "Support"));
        Assert.Null(theirs.QuerySelector("[data-nav-group=Account]"));
    }

    private static List<string> Group(AngleSharp.Dom.IElement nav, string title) =>
        [.. nav.QuerySelectorAll($"[data-nav-group='{title}'] .dropdown-item").Select(a => a.TextContent.Trim())];

    private static Task<HttpResponseMessage> LoginAsync(Browser browser, string email) =>
        browser.SubmitAsync("/login", new() { ["Input.Email"] = email, ["Input.Password"] = PortalFixture.Password });

    private static async Task<string?> ActiveAccountAsync(Browser browser) =>
        (await browser.GetAsync("/user/profile")).Document.QuerySelector("[data-active-account]")?.TextContent;
}
