using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;
using Portal.Features.Clients;
using Portal.Features.Identity;
using Portal.Features.Settings;

namespace Portal.Tests.Features.Membership;

[Collection(MembershipCollection.Name)]
public sealed class UserManagementTests(PortalFixture portal)
{
    private async Task<(User Owner, Client Client, User Member)> AccountWithMemberAsync(params Permission[] memberPermissions)
    {
        var (owner, client) = await portal.CreateOwnerAsync("Managed Co");
        var member = await portal.CreateUserAsync(firstName: "Max");
        await portal.AssociateAsync(client.Id, member.Id, memberPermissions.Length == 0 ? [Permission.Tickets] : memberPermissions);
        return (owner, client, member);
    }

    [Fact]
    public async Task The_owner_sees_users_with_owner_label_and_last_login_and_pending_invitations()
    {
        var (owner, client, member) = await AccountWithMemberAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        var invited = PortalFixture.UniqueEmail("pending");
        await browser.InviteAsync(invited, "tickets");

        var page = await browser.GetAsync("/account/users");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var ownerRow = page.Document.QuerySelector($"[data-user-id='{owner.Id}']")!;
        var memberRow = page.Document.QuerySelector($"[data-user-id='{member.Id}']")!;
        Assert.NotNull(ownerRow.QuerySelector("[data-owner]"));
        Assert.Null(ownerRow.QuerySelector("a[href$='/permissions']"));
        Assert.Equal("Never", memberRow.QuerySelector("[data-last-login]")!.TextContent);
        Assert.NotEqual("Never", ownerRow.QuerySelector("[data-last-login]")!.TextContent);
        Assert.Contains(invited, page.Document.QuerySelector("[data-pending]")!.TextContent);
        Assert.NotNull(page.Document.QuerySelector("nav a[href='/account/users']"));
        Assert.Equal("page", page.Document.QuerySelector("nav a[href='/account/users']")!.GetAttribute("aria-current"));
        Assert.Null(page.Document.QuerySelector("nav a[href='/dashboard']")!.GetAttribute("aria-current"));
        Assert.Equal("Send a New Link", page.Document.QuerySelector("[data-pending] button")!.TextContent);
        Assert.Contains("the link sent before stops working", page.Document.QuerySelector("[data-new-link-note]")!.TextContent);
    }

    [Fact]
    public async Task Inviting_a_current_member_or_an_already_invited_address_is_refused()
    {
        var (owner, _, member) = await AccountWithMemberAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        var invited = PortalFixture.UniqueEmail("twice");
        await browser.InviteAsync(invited);

        var memberPage = await Page.ReadAsync(await browser.InviteAsync(member.Email!.ToUpperInvariant()));
        var twicePage = await Page.ReadAsync(await browser.InviteAsync(invited));
        var nonePage = await Page.ReadAsync(await browser.InviteAsync(PortalFixture.UniqueEmail("none"), "not-a-permission"));

        Assert.Equal("User is already associated with client", memberPage.ErrorFor("Input.Email"));
        Assert.Equal($"An active invite already exists for {invited}", twicePage.ErrorFor("Input.Email"));
        Assert.Contains("Choose at least one permission.", nonePage.Document.QuerySelector("[data-valmsg-for='Input.Permissions']")!.TextContent);
        Assert.Equal(1, await portal.WithDbAsync(db => db.Invitations.CountAsync(i => i.Email == invited)));
    }

    [Fact]
    public async Task The_owner_changes_a_users_permissions_and_it_bites_on_their_next_request()
    {
        var (owner, client, member) = await AccountWithMemberAsync(Permission.Tickets, Permission.Invoices, Permission.Orders);
        using var memberBrowser = await portal.LoginAsync(member.Email!);
        Assert.Equal(3, (await memberBrowser.PermissionsOnDashboardAsync()).Count);
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);

        var form = await ownerBrowser.GetAsync($"/account/users/{member.Id}/permissions");
        Assert.Equal(["invoices", "tickets", "orders"], form.Document.QuerySelectorAll("input[name='Input.Permissions'][checked]").Select(i => i.GetAttribute("value")));
        var fields = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", form.Document.QuerySelector("main input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
            new("Input.Version", form.Document.QuerySelector("input[name='Input.Version']")!.GetAttribute("value")!),
            new("Input.Permissions", "tickets"),
        };
        var response = await ownerBrowser.PostAsync($"/account/users/{member.Id}/permissions", fields);

        Assert.Equal("/account/users", response.Headers.Location!.PathAndQuery());
        Assert.Equal(["View & Open Support Tickets"], await memberBrowser.PermissionsOnDashboardAsync());
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.UserId == owner.Id && e.ClientId == client.Id
            && e.Description.StartsWith($"User {member.Email} permissions for Managed Co (Test User) (#{client.Id}) changed from {{View & Pay Invoices, View & Open Support Tickets, Place New Orders/Upgrades/Cancellations}} to {{View & Open Support Tickets}}"))));
    }

    [Fact]
    public async Task Removing_access_asks_first_and_bites_on_the_users_next_request()
    {
        var (owner, client, member) = await AccountWithMemberAsync();
        using var memberBrowser = await portal.LoginAsync(member.Email!);
        Assert.Equal(HttpStatusCode.OK, (await memberBrowser.GetAsync("/dashboard")).Status);
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);

        var confirm = await ownerBrowser.GetAsync($"/account/users/{member.Id}/remove");
        Assert.Contains(member.Email!, confirm.Text);
        Assert.True(await portal.WithDbAsync(db => db.ClientUsers.AnyAsync(cu => cu.ClientId == client.Id && cu.UserId == member.Id)));
        var response = await ownerBrowser.SubmitAsync(confirm, []);

        Assert.Equal("/account/users", response.Headers.Location!.PathAndQuery());
        var next = await memberBrowser.Client.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith("/user/accounts", next.Headers.Location!.PathAndQuery());
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.Description == $"User {member.Email} access removed from Managed Co (Test User) (#{client.Id})")));
    }

    public static TheoryData<string> OwnerOnlyPosts => ["invite", "permissions", "remove", "resend", "cancel"];

    [Theory]
    [MemberData(nameof(OwnerOnlyPosts))]
    public async Task A_non_owner_with_every_permission_is_refused_every_user_management_action(string action)
    {
        var (owner, client) = await portal.CreateOwnerAsync("Guarded Co");
        var deputy = await portal.CreateUserAsync();
        var bystander = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, deputy.Id, [.. Enum.GetValues<Permission>()]);
        await portal.AssociateAsync(client.Id, bystander.Id, Permission.Tickets);
        using (var ownerBrowser = await portal.LoginAsync(owner.Email!))
        {
            await ownerBrowser.InviteAsync(PortalFixture.UniqueEmail("guarded"));
        }

        var invitationId = await portal.WithDbAsync(db => db.Invitations.Where(i => i.ClientId == client.Id).Select(i => i.Id).SingleAsync());
        using var browser = await portal.LoginAsync(deputy.Email!);
        var token = await browser.AntiforgeryTokenAsync("/dashboard");
        var snapshot = await SnapshotAsync(client.Id);
        var (url, fields) = action switch
        {
            "invite" => ("/account/users/invite", new Dictionary<string, string> { ["Input.Email"] = PortalFixture.UniqueEmail("sneaky"), ["Input.AllPermissions"] = "true" }),
            "permissions" => ($"/account/users/{bystander.Id}/permissions", new() { ["Input.AllPermissions"] = "true", ["Input.Version"] = "0" }),
            "remove" => ($"/account/users/{bystander.Id}/remove", new()),
            "resend" => ($"/account/users/invitations/{invitationId}/resend", new()),
            _ => ($"/account/users/invitations/{invitationId}/cancel", new()),
        };
        fields["__RequestVerificationToken"] = token;

        var response = await browser.PostAsync(url, fields);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("You do not have the required permissions to access this page", await response.Content.ReadAsStringAsync());
        Assert.Equal(snapshot, await SnapshotAsync(client.Id));
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.Client.GetAsync("/account/users")).StatusCode);
    }

    [Fact]
    public async Task The_owners_own_permissions_and_access_cannot_be_changed_by_a_crafted_post()
    {
        var (owner, client, _) = await AccountWithMemberAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        var token = await browser.AntiforgeryTokenAsync("/dashboard");
        var snapshot = await SnapshotAsync(client.Id);

        var permissions = await browser.PostAsync($"/account/users/{owner.Id}/permissions",
            [new("__RequestVerificationToken", token), new("Input.Permissions", "tickets"), new("Input.Version", "0")]);
        var remove = await browser.PostAsync($"/account/users/{owner.Id}/remove", [new("__RequestVerificationToken", token)]);

        Assert.NotEqual(HttpStatusCode.Redirect, permissions.StatusCode);
        Assert.Contains("The account owner always has every permission", await permissions.Content.ReadAsStringAsync());
        Assert.Contains("The account owner cannot be removed", await remove.Content.ReadAsStringAsync());
        Assert.Equal(snapshot, await SnapshotAsync(client.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/account/users/{owner.Id}/permissions")).Status);
    }

    [Fact]
    public async Task Users_and_invitations_of_another_account_are_not_found()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Mine Co");
        var (otherOwner, other, otherMember) = await AccountWithMemberAsync();
        using (var otherBrowser = await portal.LoginAsync(otherOwner.Email!))
        {
            await otherBrowser.InviteAsync(PortalFixture.UniqueEmail("theirs"));
        }

        var theirInvitation = await portal.WithDbAsync(db => db.Invitations.Where(i => i.ClientId == other.Id).Select(i => i.Id).SingleAsync());
        using var browser = await portal.LoginAsync(owner.Email!);
        var token = await browser.AntiforgeryTokenAsync("/dashboard");
        var snapshot = await SnapshotAsync(other.Id);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/account/users/{otherMember.Id}/permissions")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/account/users/{otherMember.Id}/remove")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/account/users/invitations/{theirInvitation}/cancel")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostAsync($"/account/users/{otherMember.Id}/permissions",
            [new("__RequestVerificationToken", token), new("Input.AllPermissions", "true"), new("Input.Version", "0")])).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostAsync($"/account/users/{otherMember.Id}/remove", [new("__RequestVerificationToken", token)])).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostAsync($"/account/users/invitations/{theirInvitation}/resend", [new("__RequestVerificationToken", token)])).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostAsync($"/account/users/invitations/{theirInvitation}/cancel", [new("__RequestVerificationToken", token)])).StatusCode);
        Assert.Equal(snapshot, await SnapshotAsync(other.Id));
        _ = client;
    }

    [Fact]
    public async Task Extra_form_fields_cannot_pick_the_account_an_invitation_goes_to()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Home Co");
        var (_, other) = await portal.CreateOwnerAsync("Target Co");
        using var browser = await portal.LoginAsync(owner.Email!);
        var page = await browser.GetAsync("/account/users/invite");
        var invited = PortalFixture.UniqueEmail("smuggled");

        await browser.SubmitAsync(page, new() { ["Input.Email"] = invited, ["Input.AllPermissions"] = "true", ["Input.ClientId"] = other.Id.ToString(), ["ClientId"] = other.Id.ToString() });

        Assert.Equal(client.Id, await portal.WithDbAsync(db => db.Invitations.Where(i => i.Email == invited).Select(i => i.ClientId).SingleAsync()));
    }

    [Fact]
    public async Task Disabling_client_area_user_management_hides_the_menu_and_refuses_the_routes()
    {
        var (owner, client, member) = await AccountWithMemberAsync();
        await portal.SetSettingAsync(SystemSettings.UserManagementDisabledKey, "true");
        try
        {
            using var browser = await portal.LoginAsync(owner.Email!);
            var dashboard = await browser.GetAsync("/dashboard");
            var snapshot = await SnapshotAsync(client.Id);

            Assert.Null(dashboard.Document.QuerySelector("nav a[href='/account/users']"));
            Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/account/users")).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/account/users/invite")).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await browser.PostAsync($"/account/users/{member.Id}/remove",
                [new("__RequestVerificationToken", await browser.AntiforgeryTokenAsync("/dashboard"))])).StatusCode);
            Assert.Equal(snapshot, await SnapshotAsync(client.Id));
        }
        finally
        {
            await portal.SetSettingAsync(SystemSettings.UserManagementDisabledKey, "false");
        }
    }

    [Fact]
    public async Task Expired_invitations_are_listed_with_a_one_click_reissue()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using (var first = await portal.LoginAsync(owner.Email!))
        {
            await first.InviteAsync(PortalFixture.UniqueEmail("lapsed"));
        }

        portal.Factory.Time.Advance(TimeSpan.FromDays(8));
        using var browser = await portal.LoginAsync(owner.Email!);
        var page = await browser.GetAsync("/account/users");
        Assert.NotNull(page.Document.QuerySelector("[data-expired]"));
        Assert.Null(page.Document.QuerySelector("[data-pending]"));

        await browser.SubmitAsync(page, [], "[data-expired] form");
        var after = await browser.GetAsync("/account/users");

        Assert.Null(after.Document.QuerySelector("[data-expired]"));
        Assert.NotNull(after.Document.QuerySelector("[data-pending]"));
    }

    private Task<string> SnapshotAsync(int clientId) => portal.WithDbAsync(async db =>
    {
        var users = await db.ClientUsers.Where(cu => cu.ClientId == clientId).OrderBy(cu => cu.UserId).Select(cu => $"{cu.UserId}:{cu.StoredPermissions}:{cu.Version}").ToListAsync();
        var invitations = await db.Invitations.Where(i => i.ClientId == clientId).OrderBy(i => i.Id).Select(i => $"{i.Id}:{i.Email}:{i.Status}:{i.TokenHash}").ToListAsync();
        var owner = await db.Clients.Where(c => c.Id == clientId).Select(c => c.OwnerUserId).SingleAsync();
        return $"owner {owner}; users {string.Join(",", users)}; invitations {string.Join(",", invitations)}";
    });
}

[Collection(MembershipCollection.Name)]
public sealed class InvitationLimitTests(PortalFixture portal)
{
    [Fact]
    public async Task An_account_may_send_thirty_invitations_an_hour()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Busy Co");
        using var browser = await portal.LoginAsync(owner.Email!);
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await browser.InviteAsync(PortalFixture.UniqueEmail("bulk"))).StatusCode);
        }

        var refused = await Page.ReadAsync(await browser.InviteAsync(PortalFixture.UniqueEmail("one-too-many")));
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("Too many invitations were sent from this account in the last hour", refused.Document.QuerySelector("[data-form-errors]")!.TextContent);
        Assert.Equal(30, await portal.WithDbAsync(db => db.Invitations.CountAsync(i => i.ClientId == client.Id)));

        portal.Factory.Time.Advance(TimeSpan.FromMinutes(61));
        using var later = await portal.LoginAsync(owner.Email!);
        Assert.Equal(HttpStatusCode.Redirect, (await later.InviteAsync(PortalFixture.UniqueEmail("next-hour"))).StatusCode);
    }
}
