using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Activity;
using Portal.Features.Membership;
using Portal.Tests.Features.Identity;

namespace Portal.Tests.Features.Activity;

[Collection(ActivityCollection.Name)]
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

    private async Task AddEntriesAsync(int count, int? clientId, int? userId, int? adminId, string description)
    {
        var at = portal.Factory.Time.GetUtcNow();
        await portal.WithDbAsync(async db =>
        {
            for (var i = 0; i < count; i++)
            {
                db.ActivityLog.Add(new ActivityLogEntry(at.AddMinutes(-i), $"{description} {i}", clientId, userId, adminId, null));
            }

            await db.SaveChangesAsync();
        });
    }

    [Fact]
    public async Task The_admin_log_finds_a_client_by_company_name_offers_it_to_pick_and_the_pick_keeps_to_its_id()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var (northOwner, north) = await portal.CreateOwnerAsync($"Northwind {marker}");
        var (southOwner, south) = await portal.CreateOwnerAsync($"Southwind {marker}");
        await AddEntriesAsync(2, north.Id, northOwner.Id, null, $"North work {marker}");
        await AddEntriesAsync(2, south.Id, southOwner.Id, null, $"South work {marker}");
        using var admin = await portal.CreateAdminBrowserAsync();

        var byName = await admin.GetAsync($"/admin/activity?client=northwind%20{marker}");
        var pick = byName.Document.QuerySelector($"[data-matches=client] a[data-pick='{north.Id}']")!;
        var picked = await admin.GetAsync(pick.GetAttribute("href")!);
        var both = await admin.GetAsync($"/admin/activity?client=wind%20{marker}");

        static List<string> Clients(Page page) => page.Document.QuerySelectorAll("[data-client]").Select(c => c.TextContent.Trim()).ToList();
        Assert.NotEmpty(Clients(byName));
        Assert.All(Clients(byName), c => Assert.StartsWith($"Northwind {marker}", c));
        Assert.Contains($"clientId={north.Id}", pick.GetAttribute("href"));
        Assert.DoesNotContain("client=", pick.GetAttribute("href"));
        Assert.Equal(Clients(byName), Clients(picked));
        Assert.Contains($"Northwind {marker}", picked.Document.QuerySelector($"[data-filter=client] [data-chosen='{north.Id}']")!.TextContent);
        Assert.Equal(north.Id.ToString(), picked.Document.QuerySelector("[data-filter=client] input[type=hidden][name=clientId]")!.GetAttribute("value"));
        Assert.Equal("/admin/activity", picked.Document.QuerySelector("[data-filter=client] a[data-show-all]")!.GetAttribute("href"));
        Assert.Contains(Clients(both), c => c.StartsWith($"Northwind {marker}"));
        Assert.Contains(Clients(both), c => c.StartsWith($"Southwind {marker}"));
        Assert.Equal(2, both.Document.QuerySelectorAll("[data-matches=client] a[data-pick]").Length);
    }

    [Fact]
    public async Task The_admin_log_finds_a_user_by_name_or_email_and_an_admin_by_name()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var (owner, client) = await portal.CreateOwnerAsync($"Actors {marker}");
        var colleague = await portal.CreateUserAsync(firstName: $"Quentin{marker}", lastName: "Bloggs");
        await portal.AssociateAsync(client.Id, colleague.Id, Permission.Tickets);
        await AddEntriesAsync(2, client.Id, owner.Id, null, $"Owner did {marker}");
        await AddEntriesAsync(3, client.Id, colleague.Id, null, $"Colleague did {marker}");
        await portal.SendAsync(new Portal.Features.Setup.CreateAdmin.Command { Email = PortalFixture.UniqueEmail("grace"), FirstName = $"Grace{marker}", LastName = "Hopper", Password = PortalFixture.Password });
        var graceId = await portal.WithDbAsync(db => db.Admins.Where(a => a.FirstName == $"Grace{marker}").Select(a => a.Id).SingleAsync());
        await AddEntriesAsync(1, client.Id, null, graceId, $"Admin did {marker}");
        using var admin = await portal.CreateAdminBrowserAsync();

        var byName = await admin.GetAsync($"/admin/activity?user=quentin{marker}%20bloggs&text={marker}");
        var byEmail = await admin.GetAsync($"/admin/activity?user={Uri.EscapeDataString(colleague.Email!)}&text={marker}");
        var byAdmin = await admin.GetAsync($"/admin/activity?admin=grace{marker}");

        static List<string> Descriptions(Page page) => page.Document.QuerySelectorAll("[data-description]").Select(d => d.TextContent).ToList();
        Assert.Equal([$"Colleague did {marker} 0", $"Colleague did {marker} 1", $"Colleague did {marker} 2"], Descriptions(byName));
        Assert.Equal(Descriptions(byName), Descriptions(byEmail));
        Assert.All(byName.Document.QuerySelectorAll("[data-actor]"), a => Assert.Equal($"User {colleague.Email}", a.TextContent));
        Assert.Contains($"userId={colleague.Id}", byName.Document.QuerySelector("[data-matches=user] a[data-pick]")!.GetAttribute("href"));
        Assert.Contains($"Admin did {marker} 0", Descriptions(byAdmin));
        Assert.All(byAdmin.Document.QuerySelectorAll("[data-actor]"), a => Assert.Equal($"Admin Grace{marker} Hopper", a.TextContent));
        Assert.Contains($"adminId={graceId}", byAdmin.Document.QuerySelector("[data-matches=admin] a[data-pick]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task A_name_that_matches_nobody_says_so_and_shows_no_entries()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        using var admin = await portal.CreateAdminBrowserAsync();

        var page = await admin.GetAsync($"/admin/activity?client=nobody{marker}");

        Assert.Contains($"No client matches “nobody{marker}”", page.Document.QuerySelector("[data-filter=client] [data-no-match]")!.TextContent);
        Assert.NotNull(page.Document.QuerySelector("[data-empty-state]"));
        Assert.Equal($"nobody{marker}", page.Document.QuerySelector("input#client")!.GetAttribute("value"));
    }

    [Fact]
    public async Task Paging_a_log_filtered_by_name_keeps_the_name_and_reads_on_from_the_key()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var (owner, client) = await portal.CreateOwnerAsync($"Pagewise {marker}");
        await AddEntriesAsync(60, client.Id, owner.Id, null, $"Step {marker}");
        using var admin = await portal.CreateAdminBrowserAsync();

        var first = await admin.GetAsync($"/admin/activity?client=pagewise%20{marker}&text={marker}");
        var olderLink = first.Document.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        var second = await admin.GetAsync(olderLink);

        static List<string> Descriptions(Page page) => page.Document.QuerySelectorAll("[data-description]").Select(d => d.TextContent).ToList();
        Assert.Contains($"client=pagewise%20{marker}", olderLink);
        Assert.Contains("older=", olderLink);
        Assert.Equal(50, Descriptions(first).Count);
        Assert.Equal(10, Descriptions(second).Count);
        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"Step {marker} {i}"), Descriptions(first).Concat(Descriptions(second)));
        Assert.Contains("60 entries", first.Document.QuerySelector("[data-total]")!.TextContent);
    }
}
