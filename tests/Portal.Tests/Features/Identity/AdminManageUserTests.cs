using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Identity;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;

namespace Portal.Tests.Features.Identity;

[Collection(IdentityCollection.Name)]
public sealed class AdminManageUserTests(PortalFixture portal)
{
    private Task<User?> FindUserAsync(int id) => portal.WithDbAsync(db => db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id));

    [Fact]
    public async Task The_page_lists_the_users_accounts_with_owner_marks()
    {
        var (user, owned) = await portal.CreateOwnerAsync("Owned Ltd");
        var (_, other) = await portal.CreateOwnerAsync("Member Of Ltd");
        await portal.AssociateAsync(other.Id, user.Id, Permission.Tickets);
        using var admin = await portal.CreateAdminBrowserAsync();

        var page = await admin.GetAsync($"/admin/users/{user.Id}");

        Assert.NotNull(page.Document.QuerySelector($"[data-client-id='{owned.Id}'] [data-owner]"));
        Assert.Null(page.Document.QuerySelector($"[data-client-id='{other.Id}'] [data-owner]"));
        Assert.NotNull(page.Document.QuerySelector($"[data-client-id='{other.Id}'] a[href='/admin/clients/{other.Id}']"));
        Assert.NotNull(page.Document.QuerySelector("[data-delete-blocked]"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/users/99999999")).Status);
    }

    [Fact]
    public async Task Changing_the_email_refuses_one_in_use_and_otherwise_unverifies_it_and_moves_the_login()
    {
        var user = await portal.CreateUserAsync();
        var other = await portal.CreateUserAsync();
        await portal.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailConfirmed, true)));
        using var admin = await portal.CreateAdminBrowserAsync();
        var url = $"/admin/users/{user.Id}";

        var taken = await Page.ReadAsync(await admin.SubmitAsync(url, new() { ["Input.Email"] = other.Email!.ToUpperInvariant() }, "form[data-user-form]"));
        Assert.Equal(HttpStatusCode.OK, taken.Status);
        Assert.Equal(UpdateUser.EmailTaken, taken.ErrorFor("Input.Email"));
        Assert.Equal(user.Email, (await FindUserAsync(user.Id))!.Email);

        var fresh = PortalFixture.UniqueEmail("renamed");
        var saved = await admin.SubmitAsync(url, new() { ["Input.Email"] = fresh, ["Input.FirstName"] = "Renamed" }, "form[data-user-form]");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var changed = (await FindUserAsync(user.Id))!;
        Assert.Equal(fresh, changed.Email);
        Assert.Equal(fresh.ToUpperInvariant(), changed.NormalizedEmail);
        Assert.Equal("Renamed", changed.FirstName);
        Assert.False(changed.EmailConfirmed);
        using (await portal.LoginAsync(fresh))
        {
        }

        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.AdminId != null && e.Description.Contains($"email from {user.Email} to {fresh}"))));
    }

    [Fact]
    public async Task A_new_email_set_by_an_admin_ends_the_users_sessions_and_kills_reset_links_sent_before()
    {
        var user = await portal.CreateUserAsync();
        using var session = await portal.LoginAsync(user.Email!);
        using (var visitor = portal.NewBrowser())
        {
            Assert.Equal(HttpStatusCode.Redirect, (await visitor.SubmitAsync("/password/forgot", new() { ["Input.Email"] = user.Email! })).StatusCode);
        }

        var oldResetLink = await portal.LatestResetLinkAsync(user.Email!);
        using var admin = await portal.CreateAdminBrowserAsync();
        var fresh = PortalFixture.UniqueEmail("moved-by-admin");

        var saved = await admin.SubmitAsync($"/admin/users/{user.Id}", new() { ["Input.Email"] = fresh }, "form[data-user-form]");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var refused = await session.Client.GetAsync("/user/profile");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/login", refused.Headers.Location!.PathAndQuery());
        using var stranger = portal.NewBrowser();
        Assert.NotNull((await stranger.GetAsync(oldResetLink)).Document.QuerySelector("[data-invalid-link]"));
        using (await portal.LoginAsync(fresh))
        {
        }
    }

    [Fact]
    public async Task Permanently_deleting_a_user_with_an_association_is_refused()
    {
        var (_, client) = await portal.CreateOwnerAsync();
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        using var admin = await portal.CreateAdminBrowserAsync();
        var confirmPage = await admin.GetAsync($"/admin/users/{member.Id}/delete");
        Assert.NotNull(confirmPage.Document.QuerySelector("[data-delete-blocked]"));
        Assert.Null(confirmPage.Document.QuerySelector("main form button[type=submit]"));

        var response = await admin.PostAsync($"/admin/users/{member.Id}/delete", [
            new("Input.Confirm", "true"),
            new("__RequestVerificationToken", await admin.AntiforgeryTokenAsync("/admin")),
        ]);
        var page = await Page.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(DeleteUser.HasAssociations, page.Document.QuerySelector("[data-form-errors]")!.TextContent);
        Assert.NotNull(await FindUserAsync(member.Id));
        Assert.NotNull(await portal.WithDbAsync(db => db.ClientUsers.SingleOrDefaultAsync(cu => cu.ClientId == client.Id && cu.UserId == member.Id)));
    }

    [Fact]
    public async Task After_removal_the_user_is_deleted_and_their_live_session_is_refused()
    {
        var (_, client) = await portal.CreateOwnerAsync();
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        using var memberBrowser = await portal.LoginAsync(member.Email!);
        using var admin = await portal.CreateAdminBrowserAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync($"/admin/clients/{client.Id}/users/{member.Id}/remove", new() { ["Input.Confirm"] = "true" })).StatusCode);

        var unconfirmed = await admin.SubmitAsync($"/admin/users/{member.Id}/delete", []);
        Assert.Equal(HttpStatusCode.OK, unconfirmed.StatusCode);
        Assert.NotNull(await FindUserAsync(member.Id));
        var response = await admin.SubmitAsync($"/admin/users/{member.Id}/delete", new() { ["Input.Confirm"] = "true" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/users", response.Headers.Location!.PathAndQuery());
        Assert.Null(await FindUserAsync(member.Id));
        var next = await memberBrowser.Client.GetAsync("/user/accounts");
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith("/login", next.Headers.Location!.PathAndQuery());
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.AdminId != null && e.Description == $"Permanently deleted user {member.Email} (#{member.Id})")));
    }

    [Fact]
    public async Task Ending_all_sessions_signs_the_user_out_everywhere()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var first = await portal.LoginAsync(owner.Email!);
        using var second = await portal.LoginAsync(owner.Email!);
        using var admin = await portal.CreateAdminBrowserAsync();

        var response = await admin.SubmitAsync($"/admin/users/{owner.Id}", [], "form[data-end-sessions]");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await first.Client.GetAsync("/dashboard")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await second.Client.GetAsync("/dashboard")).StatusCode);
        using var again = await portal.LoginAsync(owner.Email!);
        Assert.Equal(HttpStatusCode.OK, (await again.Client.GetAsync("/dashboard")).StatusCode);
    }

    [Fact]
    public async Task Send_password_reset_email_mails_a_link_and_never_shows_a_password()
    {
        var user = await portal.CreateUserAsync();
        using var admin = await portal.CreateAdminBrowserAsync();

        var response = await admin.SubmitAsync($"/admin/users/{user.Id}", [], "form[data-send-reset]");
        var page = await admin.FollowAsync(response);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/password/reset?user=" + user.Id, await portal.LatestResetLinkAsync(user.Email!));
        Assert.Null(page.Document.QuerySelector("input[type=password]"));
        Assert.DoesNotContain("token=", page.Document.DocumentElement.OuterHtml);
    }
}
