using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Membership;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Membership;

[Collection(MembershipCollection.Name)]
public sealed class AdminClientUsersTests(PortalFixture portal)
{
    private Task<ClientUser?> AssociationAsync(int clientId, int userId) =>
        portal.WithDbAsync(db => db.ClientUsers.Include(cu => cu.Client).SingleOrDefaultAsync(cu => cu.ClientId == clientId && cu.UserId == userId));

    [Fact]
    public async Task The_users_tab_lists_each_user_with_the_owner_label()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Tabbed Ltd");
        var member = await portal.CreateUserAsync(firstName: "Mel");
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        using var admin = await portal.CreateAdminBrowserAsync();

        var page = await admin.GetAsync($"/admin/clients/{client.Id}/users");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotNull(page.Document.QuerySelector($"[data-user-id='{owner.Id}'] [data-owner]"));
        Assert.Null(page.Document.QuerySelector($"[data-user-id='{member.Id}'] [data-owner]"));
        Assert.Contains(member.Email!, page.Document.QuerySelector($"[data-user-id='{member.Id}']")!.TextContent);
        Assert.Null(page.Document.QuerySelector($"a[href='/admin/clients/{client.Id}/users/{owner.Id}/remove']"));
        Assert.NotNull(page.Document.QuerySelector($"a[href='/admin/clients/{client.Id}/users/{member.Id}/remove']"));
        Assert.NotNull(page.Document.QuerySelector("[data-invitations] [data-empty-state=invitations]"));
        Assert.NotNull(page.Document.QuerySelector($"[data-invitations] a[href='/admin/clients/{client.Id}/users/invite']"));
    }

    [Fact]
    public async Task Make_owner_leaves_exactly_one_owner_and_the_old_owner_keeps_every_permission()
    {
        var (oldOwner, client) = await portal.CreateOwnerAsync("Handover Ltd");
        var member = await portal.CreateUserAsync(firstName: "Nora");
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        using var admin = await portal.CreateAdminBrowserAsync();

        var response = await admin.SubmitAsync($"/admin/clients/{client.Id}/users/{member.Id}/make-owner", new() { ["Input.Confirm"] = "true" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var tab = await admin.FollowAsync(response);
        var owners = tab.Document.QuerySelectorAll("[data-client-users] [data-owner]");
        Assert.Single(owners);
        Assert.Equal(member.Id.ToString(), owners[0].Closest("tr")!.GetAttribute("data-user-id"));
        Assert.Equal(member.Id, (await AssociationAsync(client.Id, member.Id))!.Client.OwnerUserId);
        var previous = await AssociationAsync(client.Id, oldOwner.Id);
        Assert.NotNull(previous);
        Assert.False(previous.IsOwner);
        Assert.True(previous.Permissions.IsEvery);
        Assert.True(PermissionSet.Parse(previous.StoredPermissions).IsEvery);

        using var newOwner = await portal.LoginAsync(member.Email!);
        var dashboard = await newOwner.GetAsync("/dashboard");
        Assert.Equal(13, dashboard.Document.QuerySelectorAll("[data-permissions] li").Length);
        Assert.Contains("as its owner", dashboard.Text);
        using var oldOwnerBrowser = await portal.LoginAsync(oldOwner.Email!);
        Assert.Equal(13, (await oldOwnerBrowser.GetAsync("/dashboard")).Document.QuerySelectorAll("[data-permissions] li").Length);

        var log = await portal.WithDbAsync(db => db.ActivityLog.Where(e => e.ClientId == client.Id && e.AdminId != null).Select(e => e.Description).ToListAsync());
        Assert.Contains(log, d => d.Contains($"User {member.Email} ownership granted"));
        Assert.Contains(log, d => d.Contains($"User {oldOwner.Email} ownership removed"));
    }

    [Fact]
    public async Task Removing_the_owner_with_a_crafted_post_is_refused_and_changes_nothing()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Keep Owner Ltd");
        using var admin = await portal.CreateAdminBrowserAsync();
        var removePage = await admin.GetAsync($"/admin/clients/{client.Id}/users/{owner.Id}/remove");
        Assert.Null(removePage.Document.QuerySelector("main form button[type=submit]"));

        var response = await admin.PostAsync($"/admin/clients/{client.Id}/users/{owner.Id}/remove", [
            new("Input.Confirm", "true"),
            new("Input.UserId", "0"),
            new("__RequestVerificationToken", await admin.AntiforgeryTokenAsync("/admin")),
        ]);
        var page = await Page.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Portal.Features.Membership.ClientUser.OwnerCannotBeRemoved, page.Document.QuerySelector("[data-form-errors]")!.TextContent);
        var association = await AssociationAsync(client.Id, owner.Id);
        Assert.NotNull(association);
        Assert.Equal(owner.Id, association.Client.OwnerUserId);
        Assert.False(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.ClientId == client.Id && e.Description.Contains("access removed"))));
    }

    [Fact]
    public async Task Removing_a_user_ends_their_access_on_the_next_request()
    {
        var (_, client) = await portal.CreateOwnerAsync("Remove Member Ltd");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        using var memberBrowser = await portal.LoginAsync(member.Email!);
        using var admin = await portal.CreateAdminBrowserAsync();

        var refused = await admin.SubmitAsync($"/admin/clients/{client.Id}/users/{member.Id}/remove", []);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.NotNull(await AssociationAsync(client.Id, member.Id));
        var response = await admin.SubmitAsync($"/admin/clients/{client.Id}/users/{member.Id}/remove", new() { ["Input.Confirm"] = "true" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Null(await AssociationAsync(client.Id, member.Id));
        var next = await memberBrowser.Client.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith("/user/accounts", next.Headers.Location!.PathAndQuery());
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.ClientId == client.Id && e.AdminId != null && e.Description.StartsWith($"User {member.Email} access removed"))));
    }

    [Fact]
    public async Task A_second_save_of_stale_permissions_is_refused_and_the_first_save_is_kept()
    {
        var (_, client) = await portal.CreateOwnerAsync("Concurrent Ltd");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        using var first = await portal.CreateAdminBrowserAsync();
        using var second = await portal.CreateAdminBrowserAsync();
        var url = $"/admin/clients/{client.Id}/users/{member.Id}/permissions";
        var firstForm = await first.GetAsync(url);
        var secondForm = await second.GetAsync(url);

        var saved = await first.SubmitAsync(firstForm, new() { ["Input.Permissions"] = "invoices" });
        var conflict = await Page.ReadAsync(await second.SubmitAsync(secondForm, new() { ["Input.Permissions"] = "emails" }));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, conflict.Status);
        Assert.Equal(Portal.Features.Membership.ManagePermissions.Conflict, conflict.Document.QuerySelector("[data-conflict]")!.TextContent.Trim());
        Assert.Equal(PermissionSet.Of([Permission.Invoices]), (await AssociationAsync(client.Id, member.Id))!.Permissions);
        Assert.True(((AngleSharp.Html.Dom.IHtmlInputElement)conflict.Document.QuerySelector("#Input_Permissions_invoices")!).IsChecked);
        Assert.False(((AngleSharp.Html.Dom.IHtmlInputElement)conflict.Document.QuerySelector("#Input_Permissions_emails")!).IsChecked);

        // Reviewed and saved again, against the current version, the second admin's change goes through.
        var again = await second.SubmitAsync(conflict, new() { ["Input.Permissions"] = "emails" });
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(PermissionSet.Of([Permission.Emails]), (await AssociationAsync(client.Id, member.Id))!.Permissions);
        var log = await portal.WithDbAsync(db => db.ActivityLog.Where(e => e.ClientId == client.Id && e.Description.Contains("permissions")).Select(e => e.Description).ToListAsync());
        Assert.Contains(log, d => d.Contains("changed from {View & Open Support Tickets} to {View & Pay Invoices}"));
    }

    [Fact]
    public async Task Permissions_need_at_least_one_choice()
    {
        var (_, client) = await portal.CreateOwnerAsync();
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        using var admin = await portal.CreateAdminBrowserAsync();
        var form = await admin.GetAsync($"/admin/clients/{client.Id}/users/{member.Id}/permissions");

        var page = await Page.ReadAsync(await admin.SubmitAsync(form, new() { ["Input.Permissions"] = null! }));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Choose at least one permission.", page.Document.QuerySelector("[data-valmsg-for='Input.Permissions']")!.TextContent.Trim());
        Assert.Equal(PermissionSet.Of([Permission.Tickets]), (await AssociationAsync(client.Id, member.Id))!.Permissions);
    }

    [Fact]
    public async Task An_existing_user_is_associated_at_once_and_only_once()
    {
        var (_, client) = await portal.CreateOwnerAsync("Associate Ltd");
        var user = await portal.CreateUserAsync(firstName: "Ari");
        using var admin = await portal.CreateAdminBrowserAsync();
        var url = $"/admin/clients/{client.Id}/users?q={Uri.EscapeDataString(user.Email!)}";

        var response = await admin.SubmitAsync(url, new() { ["Input.UserId"] = user.Id.ToString(), ["Input.AllPermissions"] = null!, ["Input.Permissions"] = "tickets" }, "form[data-associate-form]");
        var again = await Page.ReadAsync(await admin.SubmitAsync(url, new() { ["Input.UserId"] = user.Id.ToString(), ["Input.AllPermissions"] = null!, ["Input.Permissions"] = "invoices" }, "form[data-associate-form]"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(PermissionSet.Of([Permission.Tickets]), (await AssociationAsync(client.Id, user.Id))!.Permissions);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(AssociateUser.AlreadyAssociated, again.Document.QuerySelector("[data-valmsg-for='Input.UserId']")!.TextContent.Trim());
        Assert.Equal(PermissionSet.Of([Permission.Tickets]), (await AssociationAsync(client.Id, user.Id))!.Permissions);
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e =>
            e.ClientId == client.Id && e.AdminId != null && e.Description.StartsWith($"User {user.Email} granted access to") && e.Description.EndsWith("with permissions {View & Open Support Tickets}"))));
    }

    [Fact]
    public async Task Send_password_reset_email_mails_the_user_a_link_and_logs_it_for_the_client()
    {
        var (_, client) = await portal.CreateOwnerAsync();
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        using var admin = await portal.CreateAdminBrowserAsync();

        var response = await admin.SubmitAsync($"/admin/clients/{client.Id}/users", [], $"tr[data-user-id='{member.Id}'] form[data-send-reset]");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/password/reset?user=" + member.Id, await portal.LatestResetLinkAsync(member.Email!));
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e =>
            e.ClientId == client.Id && e.AdminId != null && e.Description == $"Password reset email sent to {member.Email}")));
    }
}
