using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;
using Portal.Features.Clients;

namespace Portal.Tests.Features.Identity;

[Collection(IdentityCollection.Name)]
public sealed class LoginTests(PortalFixture portal)
{
    private static Dictionary<string, string> Credentials(string email, string password = PortalFixture.Password) =>
        new() { ["Input.Email"] = email, ["Input.Password"] = password };

    [Fact]
    public async Task A_user_with_one_account_goes_straight_to_the_dashboard_with_it_active()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Solo Ltd");
        using var browser = portal.NewBrowser();

        var response = await browser.SubmitAsync("/login", Credentials(owner.Email!));

        Assert.Equal("/dashboard", response.Headers.Location!.PathAndQuery());
        var dashboard = await browser.GetAsync("/dashboard");
        Assert.Contains("Solo Ltd", dashboard.Document.QuerySelector("[data-dashboard-account]")!.TextContent);
        var lastLogin = await portal.WithDbAsync(db => db.ClientUsers.Where(cu => cu.ClientId == client.Id && cu.UserId == owner.Id).Select(cu => cu.LastLoginAt).SingleAsync());
        Assert.Equal(portal.Factory.Time.GetUtcNow(), lastLogin);
    }

    [Fact]
    public async Task A_user_with_several_accounts_chooses_owned_first_with_owner_and_closed_labels()
    {
        var designer = await portal.CreateUserAsync();
        var (_, theirs) = await portal.CreateOwnerAsync("Their Shop");
        await portal.AssociateAsync(theirs.Id, designer.Id, Permission.Tickets);
        var mine = await portal.CreateClientAsync(designer.Id, "My Studio");
        var closed = await portal.CreateClientAsync(designer.Id, "Old Studio", ClientStatus.Closed);
        using var browser = portal.NewBrowser();

        var response = await browser.SubmitAsync("/login", Credentials(designer.Email!));
        Assert.StartsWith("/user/accounts", response.Headers.Location!.PathAndQuery());
        var page = await browser.GetAsync(response.Headers.Location!.PathAndQuery());

        Assert.Equal("Choose Account", page.Document.QuerySelector("h1")!.TextContent);
        var rows = page.Document.QuerySelectorAll("[data-client-id]").ToList();
        Assert.Equal([mine.Id, closed.Id, theirs.Id], rows.Select(r => int.Parse(r.GetAttribute("data-client-id")!)));
        Assert.NotNull(rows[0].QuerySelector("[data-owner]"));
        Assert.Null(rows[2].QuerySelector("[data-owner]"));
        Assert.NotNull(rows[1].QuerySelector("[data-closed]"));
        Assert.Contains("account-closed", rows[1].ClassName);
    }

    [Fact]
    public async Task Switching_accounts_needs_no_new_login_and_records_the_last_login_to_that_account()
    {
        var designer = await portal.CreateUserAsync();
        var first = await portal.CreateClientAsync(designer.Id, "First Studio");
        var (_, other) = await portal.CreateOwnerAsync("Client Bakery");
        await portal.AssociateAsync(other.Id, designer.Id, Permission.Tickets, Permission.Invoices);
        using var browser = portal.NewBrowser();
        await browser.SubmitAsync("/login", Credentials(designer.Email!));
        var choose = await browser.GetAsync("/user/accounts");
        await browser.SubmitAsync(choose, [], $"[data-client-id='{first.Id}'] form");
        portal.Factory.Time.Advance(TimeSpan.FromMinutes(3));

        var chooseAgain = await browser.GetAsync("/user/accounts");
        var response = await browser.SubmitAsync(chooseAgain, [], $"[data-client-id='{other.Id}'] form");

        Assert.Equal("/dashboard", response.Headers.Location!.PathAndQuery());
        var dashboard = await browser.GetAsync("/dashboard");
        Assert.Contains("Client Bakery", dashboard.Document.QuerySelector("[data-dashboard-account]")!.TextContent);
        Assert.Equal(["View & Pay Invoices", "View & Open Support Tickets"], dashboard.Document.QuerySelectorAll("[data-permissions] li").Select(li => li.TextContent));
        var lastLogin = await portal.WithDbAsync(db => db.ClientUsers.Where(cu => cu.ClientId == other.Id && cu.UserId == designer.Id).Select(cu => cu.LastLoginAt).SingleAsync());
        Assert.Equal(portal.Factory.Time.GetUtcNow(), lastLogin);
    }

    [Fact]
    public async Task Choosing_a_closed_account_is_refused()
    {
        var user = await portal.CreateUserAsync();
        await portal.CreateClientAsync(user.Id, "Open Co");
        var closed = await portal.CreateClientAsync(user.Id, "Closed Co", ClientStatus.Closed);
        using var browser = await portal.LoginAsync(user.Email!);

        var choose = await browser.GetAsync("/user/accounts");
        var page = await Page.ReadAsync(await browser.SubmitAsync(choose, [], $"[data-client-id='{closed.Id}'] form"));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("This account is no longer active.", page.Document.QuerySelector("[data-form-errors]")!.TextContent);
        var dashboard = await browser.GetAsync("/dashboard");
        Assert.DoesNotContain("Closed Co", dashboard.Document.QuerySelector("[data-dashboard-account]")?.TextContent ?? "");
    }

    [Fact]
    public async Task Choosing_an_account_of_someone_else_is_refused()
    {
        var user = await portal.CreateUserAsync();
        await portal.CreateClientAsync(user.Id, "Mine");
        await portal.CreateClientAsync(user.Id, "Also Mine");
        var (_, stranger) = await portal.CreateOwnerAsync("Stranger Co");
        using var browser = await portal.LoginAsync(user.Email!);

        var choose = await browser.GetAsync("/user/accounts");
        var page = await Page.ReadAsync(await browser.SubmitAsync(choose, new() { ["clientId"] = stranger.Id.ToString() }, "[data-client-id] form"));

        Assert.Contains("That account is not one of yours.", page.Text);
        var dashboard = await browser.GetFollowingAsync("/dashboard");
        Assert.DoesNotContain("Stranger Co", dashboard.Text);
    }

    [Fact]
    public async Task A_user_without_accounts_is_told_so_and_offered_to_create_one()
    {
        var loner = await portal.CreateUserAsync();
        using var browser = await portal.LoginAsync(loner.Email!);

        var page = await browser.GetFollowingAsync("/dashboard");

        Assert.Contains("No accounts were found", page.Document.QuerySelector("[data-empty-state]")!.TextContent);
        Assert.NotNull(page.Document.QuerySelector("[data-empty-state] a[href='/register']"));
    }

    [Fact]
    public async Task Unknown_email_and_wrong_password_get_identical_answers()
    {
        var user = await portal.CreateUserAsync();
        using var browser = portal.NewBrowser();

        var unknown = await Page.ReadAsync(await browser.SubmitAsync("/login", Credentials("nobody-" + user.Email)));
        var wrong = await Page.ReadAsync(await browser.SubmitAsync("/login", Credentials(user.Email!, "wrong password entirely")));

        Assert.Equal(HttpStatusCode.OK, unknown.Status);
        Assert.Equal(unknown.Status, wrong.Status);
        Assert.Equal(WithoutEchoes(unknown, "nobody-" + user.Email), WithoutEchoes(wrong, user.Email!));
        Assert.Contains("Login details incorrect", wrong.Text);
    }

    [Fact]
    public async Task Ten_failures_lock_the_user_out_with_the_same_answer_even_for_the_right_password()
    {
        var user = await portal.CreateUserAsync();
        await portal.CreateClientAsync(user.Id);
        for (var i = 0; i < 10; i++)
        {
            using var attacker = portal.NewBrowser();
            await attacker.SubmitAsync("/login", Credentials(user.Email!, $"guess number {i} is wrong"));
        }

        using var browser = portal.NewBrowser();
        var page = await Page.ReadAsync(await browser.SubmitAsync("/login", Credentials(user.Email!)));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Login details incorrect", page.Text);
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.UserId == user.Id && e.Description.Contains("locked out"))));
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("/%2F%2Fevil.example")]
    [InlineData("/%5Cevil.example")]
    [InlineData("https:%2F%2Fevil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("/\t/evil.example")]
    public async Task A_return_url_never_leads_off_the_site(string returnUrl)
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var browser = portal.NewBrowser();

        var response = await browser.SubmitAsync("/login?returnUrl=" + Uri.EscapeDataString(returnUrl), Credentials(owner.Email!));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard", response.Headers.Location!.PathAndQuery());
    }

    [Fact]
    public async Task A_local_return_url_is_followed()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var browser = portal.NewBrowser();

        var response = await browser.SubmitAsync("/login?returnUrl=%2Fuser%2Faccounts", Credentials(owner.Email!));

        Assert.Equal("/user/accounts", response.Headers.Location!.PathAndQuery());
    }

    [Fact]
    public async Task A_post_without_its_antiforgery_token_is_refused_with_400()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var browser = portal.NewBrowser();

        var response = await browser.PostAsync("/login", Credentials(owner.Email!));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Rapid_login_posts_from_one_address_are_limited_with_429()
    {
        using var browser = portal.NewBrowser();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            var response = await browser.SubmitAsync("/login", Credentials($"flood{i}@example.test", "irrelevant password"));
            statuses.Add(response.StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
    }

    /// <summary>The page's main content less what differs by design: the echoed e-mail and the fresh antiforgery token.</summary>
    private static string WithoutEchoes(Page page, string email)
    {
        foreach (var token in page.Document.QuerySelectorAll("input[name=__RequestVerificationToken]"))
        {
            token.SetAttribute("value", "");
        }

        // A passkey challenge is new with every rendering, as the antiforgery token is.
        foreach (var passkey in page.Document.QuerySelectorAll("[data-passkey-options]"))
        {
            passkey.SetAttribute("data-passkey-options", "");
        }

        return page.Document.QuerySelector("main")!.InnerHtml.Replace(email, "");
    }
}
