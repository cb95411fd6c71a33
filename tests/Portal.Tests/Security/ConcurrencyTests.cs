using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Features.Membership;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Identity;
using Portal.Tests.Features.Identity;
using Portal.Tests.Features.Membership;

namespace Portal.Tests.Security;

/// <summary>
/// Fifty writers at once against the real SQLite file, through the real forms: no 500, no "database is locked" in
/// the log, and every write that was answered as done is in the database (SECURITY.md, Reliability).
/// </summary>
[Collection(ConcurrencyCollection.Name)]
public sealed class ConcurrencyTests(ProductionHashingPortalFixture portal)
{
    private const int Writers = 50;

    /// <summary>The permissions the forms offer by default: those of optional modules are neither shown nor granted (ModulesOfferedTests).</summary>
    private static readonly IReadOnlyList<Permissions.Info> Offered = Permissions.All.Where(p => p.Module is null).ToList();

    /// <summary>A safety stop so that a deadlock fails the test instead of hanging the run; never a timing assertion.</summary>
    private static readonly TimeSpan SafetyStop = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Fifty_simultaneous_registrations_through_the_form_all_succeed()
    {
        // Each browser comes from its own address, as fifty real visitors would: the per-address limit of registration
        // posts (30 a minute) is not reached by one post each, so every one of them must get through.
        var visitors = await Task.WhenAll(Enumerable.Range(0, Writers).Select(async i =>
        {
            var browser = portal.NewBrowser();
            var page = await browser.GetAsync("/register");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            return (Browser: browser, Page: page, Email: PortalFixture.UniqueEmail($"racer{i}-"));
        }));
        Assert.Equal(Writers, visitors.Select(v => v.Browser.Ip).Distinct().Count());

        var responses = await RaceAsync(visitors, v => v.Browser.SubmitAsync(v.Page, RegisterTests.Form(v.Email, $"Racing {v.Email[..8]}")));

        Assert.All(responses, r => Assert.Equal("/dashboard", r.Headers.Location?.PathAndQuery()));
        var emails = visitors.Select(v => v.Email).ToList();
        var owners = await portal.WithDbAsync(db => db.Clients
            .Where(c => emails.Contains(c.Owner.Email!) && c.Users.Any(cu => cu.UserId == c.OwnerUserId))
            .Select(c => c.Owner.Email!).ToListAsync());
        AssertNoLostWrites(emails, owners);
        Dispose(visitors.Select(v => v.Browser));
    }

    [Fact]
    public async Task Fifty_simultaneous_invitations_by_one_owner_are_all_written_up_to_the_hourly_limit_and_the_rest_refused_whole()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Busy Inviter Co");
        using var browser = await portal.LoginAsync(owner.Email!);
        var token = await browser.AntiforgeryTokenAsync("/account/users/invite");
        var emails = Enumerable.Range(0, Writers).Select(i => PortalFixture.UniqueEmail($"invitee{i}-")).ToList();

        var responses = await RaceAsync(emails, email => browser.PostAsync("/account/users/invite",
            [new("__RequestVerificationToken", token), new("Input.Email", email), new("Input.AllPermissions", "true")]));

        // Invitation sends are limited to 30 an hour per account (RateLimits:InvitationsPerHour): of fifty at once,
        // exactly thirty are sent and twenty are refused with the form's message, writing nothing.
        var sent = emails.Where((_, i) => responses[i].StatusCode == HttpStatusCode.Redirect).ToList();
        var limited = new List<string>();
        for (var i = 0; i < Writers; i++)
        {
            if (responses[i].StatusCode == HttpStatusCode.OK && (await Page.ReadAsync(responses[i])).Text.Contains(Invitations.TooMany))
            {
                limited.Add(emails[i]);
            }
        }

        Assert.Equal(30, sent.Count);
        Assert.Equal(Writers - 30, limited.Count);
        Assert.All(responses.Where(r => r.StatusCode == HttpStatusCode.Redirect), r => Assert.Equal("/account/users", r.Headers.Location!.PathAndQuery()));
        var invited = await portal.WithDbAsync(db => db.Invitations.Where(i => i.ClientId == client.Id && i.Status == InvitationStatus.Pending).Select(i => i.Email).ToListAsync());
        var mailed = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.ClientId == client.Id).Select(m => m.To).ToListAsync());
        AssertNoLostWrites(sent, invited);
        AssertNoLostWrites(sent, mailed);
        Assert.Empty(invited.Intersect(limited));
        Assert.Equal(sent.Count, await portal.WithDbAsync(db => db.ActivityLog.CountAsync(e => e.ClientId == client.Id && e.Description.StartsWith("Invited "))));
    }

    [Fact]
    public async Task Fifty_simultaneous_accepts_of_fifty_invitations_each_create_their_user_and_association()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Welcoming Co");
        var links = await portal.WithDbAsync(async db =>
        {
            var result = new List<(string Link, string Email)>();
            for (var i = 0; i < Writers; i++)
            {
                var token = Tokens.New();
                var email = PortalFixture.UniqueEmail($"joiner{i}-");
                db.Invitations.Add(Invitation.Create(client.Id, email, PermissionSet.Of([Permission.Tickets]), owner.Id, null, Tokens.Hash(token), portal.Factory.Time.GetUtcNow(), TimeSpan.FromDays(7)));
                result.Add(($"/invite/{token}", email));
            }

            await db.SaveChangesAsync();
            return result;
        });
        var joiners = await Task.WhenAll(links.Select(async l =>
        {
            var browser = portal.NewBrowser();
            var page = await browser.GetAsync(l.Link);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            return (Browser: browser, Page: page, l.Email);
        }));

        var responses = await RaceAsync(joiners, j => j.Browser.SubmitAsync(j.Page, new()
        {
            ["Input.FirstName"] = "Jo",
            ["Input.LastName"] = "Joiner",
            ["Input.Email"] = j.Email,
            ["Input.Password"] = PortalFixture.Password,
        }, "form[data-form=register]"));

        Assert.All(responses, r => Assert.Equal("/dashboard", r.Headers.Location?.PathAndQuery()));
        var members = await portal.WithDbAsync(db => db.ClientUsers.Where(cu => cu.ClientId == client.Id && cu.UserId != owner.Id).Select(cu => cu.User.Email!).ToListAsync());
        var accepted = await portal.WithDbAsync(db => db.Invitations
            .Where(i => i.ClientId == client.Id && i.Status == InvitationStatus.Accepted && db.Users.Any(u => u.Id == i.AcceptedByUserId && u.Email == i.Email))
            .Select(i => i.Email).ToListAsync());
        AssertNoLostWrites(links.Select(l => l.Email), members);
        AssertNoLostWrites(links.Select(l => l.Email), accepted);
        Dispose(joiners.Select(j => j.Browser));
    }

    [Fact]
    public async Task Fifty_simultaneous_permission_saves_on_fifty_users_each_keep_their_own_change()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Many Members Co");
        var members = await CreateMembersAsync(client.Id, Writers);
        using var browser = await portal.LoginAsync(owner.Email!);
        var forms = new List<(int UserId, Page Form, string Key)>();
        foreach (var (userId, i) in members.Select((m, i) => (m, i)))
        {
            forms.Add((userId, await browser.GetAsync($"/account/users/{userId}/permissions"), Offered[i % Offered.Count].Key));
        }

        var responses = await RaceAsync(forms, f => browser.PostAsync($"/account/users/{f.UserId}/permissions", PermissionsPost(f.Form, ["tickets", f.Key])));

        Assert.All(responses, r => Assert.Equal("/account/users", r.Headers.Location?.PathAndQuery()));
        var stored = await portal.WithDbAsync(db => db.ClientUsers.Where(cu => cu.ClientId == client.Id && cu.UserId != owner.Id)
            .Select(cu => new { cu.UserId, cu.StoredPermissions }).ToListAsync());
        var expected = forms.Select(f => $"{f.UserId}:{PermissionSet.Parse(string.Join(",", new[] { "tickets", f.Key }.Distinct())).Stored}");
        AssertNoLostWrites(expected, stored.Select(s => $"{s.UserId}:{s.StoredPermissions}"));
    }

    [Fact]
    public async Task Fifty_simultaneous_saves_of_one_users_permissions_from_one_loaded_form_let_exactly_one_win()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Contended Co");
        var memberId = (await CreateMembersAsync(client.Id, 1)).Single();
        using var browser = await portal.LoginAsync(owner.Email!);
        var form = await browser.GetAsync($"/account/users/{memberId}/permissions");
        var before = await portal.WithDbAsync(db => db.ClientUsers.Where(cu => cu.ClientId == client.Id && cu.UserId == memberId).Select(cu => cu.Version).SingleAsync());

        // Fifty different changes (the bits of 1, 2, 3... over the permissions on offer), all posted with the version the form was
        // loaded with. The member's own set (tickets alone) is left out: a save that changes nothing writes nothing, and when it
        // reads the row before the winner commits it rightly succeeds, as if it had come first.
        var choices = Enumerable.Range(1, 1 << Offered.Count).Select(n => Offered.Where((_, bit) => (n & (1 << bit)) != 0).Select(p => p.Key).ToArray())
            .Where(keys => !keys.SequenceEqual(["tickets"])).Take(Writers).ToList();
        var responses = await RaceAsync(choices, keys => browser.PostAsync($"/account/users/{memberId}/permissions", PermissionsPost(form, keys)));

        var winners = Enumerable.Range(0, Writers).Where(i => responses[i].StatusCode == HttpStatusCode.Redirect).ToList();
        var winner = Assert.Single(winners);
        foreach (var loser in responses.Where((_, i) => i != winner))
        {
            Assert.Equal(HttpStatusCode.OK, loser.StatusCode);
            var page = await Page.ReadAsync(loser);
            Assert.Contains(ManagePermissions.Conflict, page.Text);
        }

        var after = await portal.WithDbAsync(db => db.ClientUsers.AsNoTracking().SingleAsync(cu => cu.ClientId == client.Id && cu.UserId == memberId));
        var lost = after.StoredPermissions == PermissionSet.Parse(string.Join(",", choices[winner])).Stored && after.Version == before + 1 ? 0 : 1;
        SecurityReport.Add(SecurityReport.LostWrites, lost);
        Assert.Equal(PermissionSet.Parse(string.Join(",", choices[winner])).Stored, after.StoredPermissions);
        Assert.Equal(before + 1, after.Version);
        Assert.Equal(1, await portal.WithDbAsync(db => db.ActivityLog.CountAsync(e => e.ClientId == client.Id && e.Description.Contains(") changed from {"))));
    }

    [Fact]
    public async Task Ten_simultaneous_registrations_of_one_email_create_one_user_and_refuse_the_rest_with_the_message()
    {
        var email = PortalFixture.UniqueEmail("twin");
        var visitors = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            var browser = portal.NewBrowser();
            return (Browser: browser, Page: await browser.GetAsync("/register"));
        }));

        var responses = await RaceAsync(visitors, v => v.Browser.SubmitAsync(v.Page, RegisterTests.Form(email, "Twin Co")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Redirect))
        {
            Assert.Contains("A user already exists with that email address", (await Page.ReadAsync(refused)).Text);
        }

        Assert.Equal(1, await portal.WithDbAsync(db => db.Users.CountAsync(u => u.Email == email)));
        Assert.Equal(1, await portal.WithDbAsync(db => db.Clients.CountAsync(c => c.Owner.Email == email)));
        Dispose(visitors.Select(v => v.Browser));
    }

    [Fact]
    public async Task Ten_simultaneous_invitations_of_one_email_send_one_invitation_and_refuse_the_rest()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Eager Inviter Co");
        using var browser = await portal.LoginAsync(owner.Email!);
        var token = await browser.AntiforgeryTokenAsync("/account/users/invite");
        var email = PortalFixture.UniqueEmail("wanted");

        var responses = await RaceAsync(Enumerable.Range(0, 10).ToList(), _ => browser.PostAsync("/account/users/invite",
            [new("__RequestVerificationToken", token), new("Input.Email", email), new("Input.AllPermissions", "true")]));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Redirect))
        {
            Assert.Equal($"An active invite already exists for {email}", (await Page.ReadAsync(refused)).ErrorFor("Input.Email"));
        }

        Assert.Equal(1, await portal.WithDbAsync(db => db.Invitations.CountAsync(i => i.ClientId == client.Id && i.Email == email)));
        Assert.Equal(1, await portal.WithDbAsync(db => db.EmailMessages.CountAsync(m => m.To == email)));
    }

    [Fact]
    public async Task Saves_of_a_client_racing_its_deletion_answer_saved_or_not_found_never_a_server_error()
    {
        var (_, client) = await portal.CreateOwnerAsync("Vanishing Co");
        using var admin = await portal.CreateAdminBrowserAsync();
        var form = await admin.GetAsync($"/admin/clients/{client.Id}");
        var deleteToken = await admin.AntiforgeryTokenAsync($"/admin/clients/{client.Id}/delete");

        var writes = Enumerable.Range(0, 20).ToList();
        var responses = await RaceAsync(writes, i => i == 10
            ? admin.PostAsync($"/admin/clients/{client.Id}/delete", [new("__RequestVerificationToken", deleteToken), new("Input.Confirm", "true")])
            : admin.SubmitAsync(form, new() { ["Input.City"] = $"City {i}" }, "form[data-profile-form]"));

        Assert.Equal(HttpStatusCode.Redirect, responses[10].StatusCode);
        Assert.All(responses.Where((_, i) => i != 10), r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Redirect, HttpStatusCode.NotFound }));
        Assert.False(await portal.WithDbAsync(db => db.Clients.AnyAsync(c => c.Id == client.Id)));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.SubmitAsync(form, new() { ["Input.City"] = "Too late" }, "form[data-profile-form]")).StatusCode);
    }

    [Fact]
    public async Task A_save_of_a_client_deleted_in_between_is_answered_as_not_found()
    {
        var (_, client) = await portal.CreateOwnerAsync("Gone Co");
        await portal.WithDbAsync(db => db.Clients.Where(c => c.Id == client.Id).ExecuteDeleteAsync());

        await Assert.ThrowsAsync<Portal.Infrastructure.Pipeline.NotFoundException>(() => portal.SendAsync(new Portal.Features.Clients.UpdateClient.Command
        {
            ClientId = client.Id, FirstName = "Ann", LastName = "Other", CompanyName = "Gone Co", Email = PortalFixture.UniqueEmail("gone"),
            Address1 = "1 Road", City = "Town", State = "State", Postcode = "12345", Country = "GB", Phone = "0123",
        }));
    }

    [Fact]
    public async Task Ten_admins_saving_one_users_permissions_from_one_loaded_form_let_exactly_one_win_and_tell_the_rest()
    {
        var (_, client) = await portal.CreateOwnerAsync("Admin Contended Co");
        var memberId = (await CreateMembersAsync(client.Id, 1)).Single();
        using var admin = await portal.CreateAdminBrowserAsync();
        var form = await admin.GetAsync($"/admin/clients/{client.Id}/users/{memberId}/permissions");

        var choices = Enumerable.Range(1, 1 << Offered.Count).Select(n => Offered.Where((_, bit) => (n & (1 << bit)) != 0).Select(p => p.Key).ToArray())
            .Where(keys => !keys.SequenceEqual(["tickets"])).Take(10).ToList();
        var responses = await RaceAsync(choices, keys => admin.PostAsync($"/admin/clients/{client.Id}/users/{memberId}/permissions", PermissionsPost(form, keys)));

        var winner = Assert.Single(Enumerable.Range(0, choices.Count), i => responses[i].StatusCode == HttpStatusCode.Redirect);
        foreach (var loser in responses.Where((_, i) => i != winner))
        {
            Assert.Equal(HttpStatusCode.OK, loser.StatusCode);
            Assert.Contains(ManagePermissions.Conflict, (await Page.ReadAsync(loser)).Text);
        }
    }

    [Fact]
    public async Task Two_new_logins_racing_for_one_invitation_leave_exactly_one_login_behind()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Single Seat Co");
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        var invited = PortalFixture.UniqueEmail("seat");
        await ownerBrowser.InviteAsync(invited);
        var link = await portal.InvitationLinkAsync(invited);
        var visitors = await Task.WhenAll(Enumerable.Range(0, 2).Select(async i =>
        {
            var browser = portal.NewBrowser();
            return (Browser: browser, Page: await browser.GetAsync(link), Email: PortalFixture.UniqueEmail($"seat{i}-"));
        }));

        var responses = await RaceAsync(visitors, v => v.Browser.SubmitAsync(v.Page, new()
        {
            ["Input.FirstName"] = "Racing", ["Input.LastName"] = "Joiner", ["Input.Email"] = v.Email, ["Input.Password"] = PortalFixture.Password,
        }, "form[data-form=register]"));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.NotFound);
        var emails = visitors.Select(v => v.Email).ToList();
        Assert.Equal(1, await portal.WithDbAsync(db => db.Users.CountAsync(u => emails.Contains(u.Email!))));
        Assert.Equal(2, await portal.WithDbAsync(db => db.ClientUsers.CountAsync(cu => cu.ClientId == client.Id)));
        Dispose(visitors.Select(v => v.Browser));
    }

    [Fact]
    public async Task Two_simultaneous_accepts_of_one_ownership_link_transfer_the_account_once()
    {
        var (owner, client) = await portal.CreateOwnerAsync("One Handover Co");
        var successor = await portal.CreateUserAsync(PortalFixture.UniqueEmail("successor"));
        await portal.AssociateAsync(client.Id, successor.Id, Permission.Tickets);
        var (transferId, token) = await portal.PendingTransferAsync(client.Id, successor.Id);
        var sessions = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            var browser = await portal.LoginAsync(successor.Email!);
            var page = await browser.GetAsync($"/ownership/{token}");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            return (Browser: browser, Page: page);
        }));

        var responses = await RaceAsync(sessions, s => s.Browser.SubmitAsync(s.Page, [], "form[data-accept-transfer]"));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.NotFound);
        var after = await portal.WithDbAsync(db => db.Clients.Include(c => c.Users).SingleAsync(c => c.Id == client.Id));
        Assert.Equal(successor.Id, after.OwnerUserId);
        Assert.Single(after.Users, cu => cu.IsOwner);
        Assert.True(after.Users.Single(cu => cu.UserId == owner.Id).Permissions.IsEvery);
        Assert.Equal(OwnershipTransferStatus.Accepted, await portal.WithDbAsync(db => db.OwnershipTransfers.Where(t => t.Id == transferId).Select(t => t.Status).SingleAsync()));
        Assert.Equal(1, await portal.WithDbAsync(db => db.ActivityLog.CountAsync(e => e.ClientId == client.Id && e.Description.Contains("ownership granted"))));
        Assert.Equal(2, await portal.WithDbAsync(db => db.EmailMessages.CountAsync(m => m.ClientId == client.Id && m.Kind == "OwnershipTransferNotice")));
        Dispose(sessions.Select(s => s.Browser));
    }

    /// <summary>Starts every write at once, waits for all of them, and checks the answers and the log for 500s and lock errors.</summary>
    private async Task<HttpResponseMessage[]> RaceAsync<T>(IReadOnlyList<T> items, Func<T, Task<HttpResponseMessage>> write)
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = items.Select(async item =>
        {
            await go.Task;
            return await write(item);
        }).ToList();
        go.SetResult();
        var responses = await Task.WhenAll(racers).WaitAsync(SafetyStop);

        SecurityReport.Add(SecurityReport.ConcurrentOperations, items.Count);
        var serverErrors = responses.Count(r => (int)r.StatusCode >= 500);
        SecurityReport.Add(SecurityReport.ServerErrors, serverErrors);
        Assert.True(serverErrors == 0, $"{serverErrors} of {items.Count} answers were server errors; the last error logged: "
            + portal.Factory.Logs.Lines.LastOrDefault(l => l.Contains(" Error: ", StringComparison.Ordinal)));
        var lockErrors = portal.Factory.Logs.Lines.Where(l => l.Contains("database is locked", StringComparison.OrdinalIgnoreCase)
            || l.Contains("SQLITE_BUSY", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(lockErrors.Count == 0, string.Join("\n", lockErrors.Take(1)).Replace("\n", " | "));
        return responses;
    }

    private static void AssertNoLostWrites(IEnumerable<string> intended, IEnumerable<string> present)
    {
        var missing = intended.Except(present).ToList();
        SecurityReport.Add(SecurityReport.LostWrites, missing.Count);
        Assert.True(missing.Count == 0, $"{missing.Count} writes answered as done are missing: {string.Join(", ", missing.Take(5))}");
    }

    /// <summary>Users who never log in need no password, so they are created without the cost of hashing one.</summary>
    private async Task<List<int>> CreateMembersAsync(int clientId, int count)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var client = await db.Clients.SingleAsync(c => c.Id == clientId);
        var ids = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var email = PortalFixture.UniqueEmail($"member{i}-");
            var user = new User { UserName = email, Email = email, FirstName = "Member", LastName = $"No {i}", CreatedAt = portal.Factory.Time.GetUtcNow() };
            Assert.True((await users.CreateAsync(user)).Succeeded);
            db.ClientUsers.Add(ClientUser.Associate(client, user, PermissionSet.Of([Permission.Tickets])));
            ids.Add(user.Id);
        }

        await db.SaveChangesAsync();
        return ids;
    }

    private static List<KeyValuePair<string, string>> PermissionsPost(Page form, IEnumerable<string> keys) =>
    [
        new("__RequestVerificationToken", form.Document.QuerySelector("main input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
        new("Input.Version", form.Document.QuerySelector("input[name='Input.Version']")!.GetAttribute("value")!),
        .. keys.Distinct().Select(k => new KeyValuePair<string, string>("Input.Permissions", k)),
    ];


    private static void Dispose(IEnumerable<Browser> browsers)
    {
        foreach (var browser in browsers)
        {
            browser.Dispose();
        }
    }
}
