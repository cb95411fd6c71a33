using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features;

[Collection(PortalCollection.Name)]
public sealed class ActivityLogTests(PortalFixture portal)
{
    private Task<List<ActivityLogEntry>> EntriesAsync(Func<ActivityLogEntry, bool> filter) =>
        portal.WithDbAsync(async db => (await db.ActivityLog.AsNoTracking().ToListAsync()).Where(filter).OrderBy(e => e.Id).ToList());

    [Fact]
    public async Task Registration_login_switch_and_logout_are_attributed_to_the_user_and_the_account_with_the_ip()
    {
        var email = PortalFixture.UniqueEmail("actor");
        using var browser = portal.NewBrowser();
        await browser.SubmitAsync("/register", RegisterTests.Form(email));
        var user = await portal.WithDbAsync(db => db.Users.SingleAsync(u => u.Email == email));
        var client = await portal.WithDbAsync(db => db.Clients.SingleAsync(c => c.OwnerUserId == user.Id));
        var second = await portal.CreateClientAsync(user.Id, "Second Account");

        await browser.SubmitAsync("/dashboard", [], "form[action='/logout']");
        using var again = await portal.LoginAsync(email);
        var choose = await again.GetAsync("/user/accounts");
        await again.SubmitAsync(choose, [], $"[data-client-id='{second.Id}'] form");
        await again.SubmitAsync("/dashboard", [], "form[action='/logout']");

        var entries = await EntriesAsync(e => e.UserId == user.Id);
        Assert.All(entries, e => Assert.Null(e.AdminId));
        Assert.Contains(entries, e => e.Description.StartsWith("Registered user") && e.ClientId == client.Id && e.IpAddress == browser.Ip);
        Assert.Contains(entries, e => e.Description.StartsWith("Logged in") && e.IpAddress == again.Ip);
        Assert.Contains(entries, e => e.Description.StartsWith("Switched to account") && e.ClientId == second.Id);
        Assert.Contains(entries, e => e.Description.StartsWith("Logged out") && e.ClientId == client.Id && e.IpAddress == browser.Ip);
        Assert.Contains(entries, e => e.Description.StartsWith("Logged out") && e.ClientId == second.Id && e.IpAddress == again.Ip);
        Assert.DoesNotContain(entries, e => e.Description.Contains(PortalFixture.Password));
    }

    [Fact]
    public async Task Failed_logins_are_logged_without_the_password()
    {
        var user = await portal.CreateUserAsync();
        using var browser = portal.NewBrowser();
        await browser.SubmitAsync("/login", new() { ["Input.Email"] = user.Email!, ["Input.Password"] = "secret guess 12345" });
        await browser.SubmitAsync("/login", new() { ["Input.Email"] = "ghost-" + user.Email, ["Input.Password"] = "secret guess 12345" });

        var all = await EntriesAsync(e => e.Description.Contains(user.Email!));
        Assert.Contains(all, e => e.UserId == user.Id && e.Description.Contains("wrong password") && e.IpAddress == browser.Ip);
        Assert.Contains(all, e => e.UserId == null && e.Description.Contains("unknown email") && e.IpAddress == browser.Ip);
        Assert.DoesNotContain(all, e => e.Description.Contains("secret guess"));
    }

    [Fact]
    public async Task Admin_login_is_attributed_to_the_admin_alone_and_system_entries_have_no_actor()
    {
        using var admin = await portal.CreateAdminBrowserAsync();
        var adminLogin = (await EntriesAsync(e => e.Description.Contains("logged in") && e.AdminId != null)).Last();

        Assert.Null(adminLogin.UserId);
        Assert.Null(adminLogin.ClientId);
        Assert.Equal(admin.Ip, adminLogin.IpAddress);

        await portal.WithDbAsync(async db =>
        {
            var writer = new Portal.Infrastructure.Activity.ActivityWriter(db, portal.Factory.Time, new Microsoft.AspNetCore.Http.HttpContextAccessor(), new(), new());
            writer.System("Test automation ran");
            await db.SaveChangesAsync();
        });
        var system = (await EntriesAsync(e => e.Description == "Test automation ran")).Single();
        Assert.True(system.IsSystem);
        Assert.Null(system.IpAddress);
    }

    [Fact]
    public async Task The_admin_activity_log_filters_by_user_client_and_text_newest_first()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Logged Co");
        using (var browser = await portal.LoginAsync(owner.Email!))
        {
            await browser.SubmitAsync("/dashboard", [], "form[action='/logout']");
        }

        using var admin = await portal.CreateAdminBrowserAsync();
        var byUser = await admin.GetAsync($"/admin/activity?userId={owner.Id}");
        var byClientText = await admin.GetAsync($"/admin/activity?clientId={client.Id}&text=logged%20out");
        var bad = await admin.GetAsync("/admin/activity?userId=abc&from=not-a-date");

        var descriptions = byUser.Document.QuerySelectorAll("[data-description]").Select(d => d.TextContent).ToList();
        Assert.StartsWith("Logged out", descriptions[0]);
        Assert.StartsWith("Logged in", descriptions[1]);
        Assert.All(byUser.Document.QuerySelectorAll("[data-actor]"), a => Assert.Equal($"User {owner.Email}", a.TextContent));
        Assert.Single(byClientText.Document.QuerySelectorAll("[data-description]"));
        Assert.Equal(HttpStatusCode.OK, bad.Status);
        Assert.Contains("Some filters were not understood", bad.Text);
    }

    [Fact]
    public async Task Entries_of_a_deleted_client_and_user_name_them_by_id_without_a_link_to_a_missing_page()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Deleted Co");
        using (var browser = await portal.LoginAsync(owner.Email!))
        {
            await browser.SubmitAsync("/dashboard", [], "form[action='/logout']");
        }

        using var admin = await portal.CreateAdminBrowserAsync();
        var deleted = await admin.SubmitAsync($"/admin/clients/{client.Id}/delete", new() { ["Input.DeleteUsers"] = "true", ["Input.Confirm"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        var log = await admin.GetAsync($"/admin/activity?userId={owner.Id}");

        Assert.NotEmpty(log.Document.QuerySelectorAll("[data-entry-id]"));
        Assert.All(log.Document.QuerySelectorAll("[data-actor]"), a => Assert.Equal($"User #{owner.Id} (deleted)", a.TextContent));
        var clients = log.Document.QuerySelectorAll("[data-client]").Select(c => c.TextContent.Trim()).Where(t => t.Length > 0).ToList();
        Assert.NotEmpty(clients);
        Assert.All(clients, c => Assert.Equal($"#{client.Id} (deleted)", c));
        Assert.Empty(log.Document.QuerySelectorAll("[data-client] a"));
    }

    [Fact]
    public async Task The_admin_log_takes_the_last_possible_date_and_matches_percent_and_underscore_literally()
    {
        var (owner, client) = await portal.CreateOwnerAsync("100% Real_Co");
        using (var browser = await portal.LoginAsync(owner.Email!))
        {
        }

        using var admin = await portal.CreateAdminBrowserAsync();
        var farFuture = await admin.GetAsync($"/admin/activity?clientId={client.Id}&to=9999-12-31");
        var literal = await admin.GetAsync($"/admin/activity?clientId={client.Id}&text=100%25%20Real_Co");
        var wildcard = await admin.GetAsync($"/admin/activity?clientId={client.Id}&text=100%25Real");

        Assert.Equal(HttpStatusCode.OK, farFuture.Status);
        Assert.NotEmpty(farFuture.Document.QuerySelectorAll("[data-description]"));
        Assert.NotEmpty(literal.Document.QuerySelectorAll("[data-description]"));
        Assert.Empty(wildcard.Document.QuerySelectorAll("[data-description]"));
    }
}
