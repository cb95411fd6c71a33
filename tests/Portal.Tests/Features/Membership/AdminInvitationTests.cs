using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;

namespace Portal.Tests.Features.Membership;

[Collection(MembershipCollection.Name)]
public sealed class AdminInvitationTests(PortalFixture portal)
{
    [Fact]
    public async Task An_admin_invites_an_email_and_the_invitation_names_the_provider_as_sender()
    {
        var (_, client) = await portal.CreateOwnerAsync("Admin Invites Co");
        using var admin = await portal.CreateAdminBrowserAsync();
        var invited = PortalFixture.UniqueEmail("by-admin");

        var response = await admin.SubmitAsync($"/admin/clients/{client.Id}/users/invite", new() { ["Input.Email"] = invited });

        Assert.Equal($"/admin/clients/{client.Id}/users", response.Headers.Location!.PathAndQuery());
        var invitation = await portal.WithDbAsync(db => db.Invitations.SingleAsync(i => i.Email == invited));
        Assert.Equal(client.Id, invitation.ClientId);
        Assert.NotNull(invitation.InvitedByAdminId);
        Assert.Null(invitation.InvitedByUserId);
        Assert.True(invitation.PermissionSet.IsEvery);
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.AdminId == invitation.InvitedByAdminId && e.ClientId == client.Id && e.UserId == null && e.Description.StartsWith($"Invited {invited}"))));
        using var visitor = portal.NewBrowser();
        var page = await visitor.GetAsync(await portal.InvitationLinkAsync(invited));
        Assert.Equal("Portal", page.Document.QuerySelector("[data-sent-by]")!.TextContent);
        var tab = await admin.GetAsync($"/admin/clients/{client.Id}/users");
        Assert.Contains(invited, tab.Document.QuerySelector("[data-invitations]")!.TextContent);
    }

    [Fact]
    public async Task The_send_invite_toggle_invites_the_chosen_user_instead_of_associating_them()
    {
        var (_, client) = await portal.CreateOwnerAsync("Toggle Co");
        var candidate = await portal.CreateUserAsync(firstName: "Toggly" + Guid.NewGuid().ToString("N")[..6]);
        using var admin = await portal.CreateAdminBrowserAsync();

        var search = await admin.GetAsync($"/admin/clients/{client.Id}/users?q={candidate.FirstName}");
        var response = await admin.SubmitAsync(search, new() { ["Input.UserId"] = candidate.Id.ToString(), ["Input.AllPermissions"] = null!, ["Input.Permissions"] = "tickets", ["SendInvite"] = "true" }, "form[data-associate-form]");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(await portal.WithDbAsync(db => db.ClientUsers.AnyAsync(cu => cu.ClientId == client.Id && cu.UserId == candidate.Id)));
        var invitation = await portal.WithDbAsync(db => db.Invitations.SingleAsync(i => i.ClientId == client.Id && i.Email == candidate.Email));
        Assert.Equal("tickets", invitation.Permissions);

        var again = await Page.ReadAsync(await admin.SubmitAsync(search, new() { ["Input.UserId"] = candidate.Id.ToString(), ["Input.AllPermissions"] = null!, ["Input.Permissions"] = "tickets", ["SendInvite"] = "true" }, "form[data-associate-form]"));
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal($"An active invite already exists for {candidate.Email}", again.Document.QuerySelector("[data-valmsg-for='Input.UserId']")!.TextContent);
    }

    [Fact]
    public async Task Inviting_a_current_user_of_the_client_is_refused()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        using var admin = await portal.CreateAdminBrowserAsync();

        var page = await Page.ReadAsync(await admin.SubmitAsync($"/admin/clients/{client.Id}/users/invite", new() { ["Input.Email"] = owner.Email! }));

        Assert.Equal("User is already associated with client", page.ErrorFor("Input.Email"));
        Assert.False(await portal.WithDbAsync(db => db.Invitations.AnyAsync(i => i.ClientId == client.Id)));
    }

    [Fact]
    public async Task An_admin_resends_and_cancels_pending_invitations()
    {
        var (_, client) = await portal.CreateOwnerAsync();
        using var admin = await portal.CreateAdminBrowserAsync();
        var invited = PortalFixture.UniqueEmail("admin-resend");
        await admin.SubmitAsync($"/admin/clients/{client.Id}/users/invite", new() { ["Input.Email"] = invited });
        var oldLink = await portal.InvitationLinkAsync(invited);
        var id = await portal.WithDbAsync(db => db.Invitations.Where(i => i.Email == invited).Select(i => i.Id).SingleAsync());

        var tab = await admin.GetAsync($"/admin/clients/{client.Id}/users");
        await admin.SubmitAsync(tab, [], $"[data-invitation-id='{id}'] form");
        var newLink = await portal.InvitationLinkAsync(invited);
        using var visitor = portal.NewBrowser();
        Assert.NotEqual(oldLink, newLink);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync(oldLink)).Status);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync(newLink)).Status);

        var confirm = await admin.GetAsync($"/admin/clients/{client.Id}/invitations/{id}/cancel");
        await admin.SubmitAsync(confirm, []);

        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync(newLink)).Status);
        Assert.Equal(InvitationStatus.Cancelled, await portal.WithDbAsync(db => db.Invitations.Where(i => i.Id == id).Select(i => i.Status).SingleAsync()));
        var (_, other) = await portal.CreateOwnerAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/admin/clients/{other.Id}/invitations/{id}/cancel")).Status);
    }
}
