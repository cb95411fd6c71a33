using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Identity;
using Portal.Features.Clients;
using Portal.Features.Membership;
using Portal.Features.Shared;

namespace Portal.Tests.Features.Clients;

[Collection(ClientsCollection.Name)]
public sealed class AdminDeleteClientTests(PortalFixture portal)
{
    private sealed record Scenario(User Owner, Client Client, User OnlyHere, User AlsoElsewhere, Client Elsewhere);

    /// <summary>A client whose owner and one member reach only it, and a member who also works in another client.</summary>
    private async Task<Scenario> ArrangeAsync()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Doomed Ltd");
        var onlyHere = await portal.CreateUserAsync(firstName: "Only");
        var alsoElsewhere = await portal.CreateUserAsync(firstName: "Also");
        var (_, elsewhere) = await portal.CreateOwnerAsync("Elsewhere Ltd");
        await portal.AssociateAsync(client.Id, onlyHere.Id, Permission.Tickets);
        await portal.AssociateAsync(client.Id, alsoElsewhere.Id, Permission.Tickets);
        await portal.AssociateAsync(elsewhere.Id, alsoElsewhere.Id, Permission.Invoices);
        await portal.WithDbAsync(async db =>
        {
            var c = await db.Clients.SingleAsync(x => x.Id == client.Id);
            var invitation = Invitation.Create(c.Id, PortalFixture.UniqueEmail("invitee"), PermissionSet.Every, owner.Id, null, Guid.NewGuid().ToString("N"), portal.Factory.Time.GetUtcNow(), TimeSpan.FromDays(7));
            db.Invitations.Add(invitation);
            db.EmailMessages.Add(new EmailMessage(owner.Email!, "History", "text", "<p>text</p>", portal.Factory.Time.GetUtcNow(), c.Id, owner.Id));
            await db.SaveChangesAsync();
        });
        return new Scenario(owner, client, onlyHere, alsoElsewhere, elsewhere);
    }

    private Task<bool> UserExistsAsync(int id) => portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Id == id));

    [Fact]
    public async Task With_the_toggle_users_only_in_this_client_are_deleted_and_others_keep_their_other_accounts()
    {
        var s = await ArrangeAsync();
        using var onlyHereBrowser = await portal.LoginAsync(s.OnlyHere.Email!);
        using var admin = await portal.CreateAdminBrowserAsync();
        var confirm = await admin.GetAsync($"/admin/clients/{s.Client.Id}/delete");
        Assert.Contains("This will delete all history and cannot be undone", confirm.Text);

        var response = await admin.SubmitAsync(confirm, new() { ["Input.DeleteUsers"] = "true", ["Input.Confirm"] = "true" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/clients", response.Headers.Location!.PathAndQuery());
        await portal.WithDbAsync(async db =>
        {
            Assert.False(await db.Clients.AnyAsync(c => c.Id == s.Client.Id));
            Assert.False(await db.ClientUsers.AnyAsync(cu => cu.ClientId == s.Client.Id));
            Assert.False(await db.Invitations.AnyAsync(i => i.ClientId == s.Client.Id));
            Assert.False(await db.EmailMessages.AnyAsync(m => m.ClientId == s.Client.Id));
            var kept = await db.ClientUsers.SingleAsync(cu => cu.UserId == s.AlsoElsewhere.Id);
            Assert.Equal(s.Elsewhere.Id, kept.ClientId);
            Assert.Equal(PermissionSet.Of([Permission.Invoices]), PermissionSet.Parse(kept.StoredPermissions));
        });
        Assert.False(await UserExistsAsync(s.Owner.Id));
        Assert.False(await UserExistsAsync(s.OnlyHere.Id));
        Assert.True(await UserExistsAsync(s.AlsoElsewhere.Id));

        var next = await onlyHereBrowser.Client.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith("/login", next.Headers.Location!.PathAndQuery());
        var entry = await portal.WithDbAsync(db => db.ActivityLog.SingleAsync(e => e.ClientId == s.Client.Id && e.Description.StartsWith("Deleted client")));
        Assert.NotNull(entry.AdminId);
        Assert.Contains(s.OnlyHere.Email!, entry.Description);
        Assert.DoesNotContain(s.AlsoElsewhere.Email!, entry.Description);
    }

    [Fact]
    public async Task Without_the_toggle_every_user_survives()
    {
        var s = await ArrangeAsync();
        using var admin = await portal.CreateAdminBrowserAsync();

        var response = await admin.SubmitAsync($"/admin/clients/{s.Client.Id}/delete", new() { ["Input.Confirm"] = "true" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(await portal.WithDbAsync(db => db.Clients.AnyAsync(c => c.Id == s.Client.Id)));
        Assert.True(await UserExistsAsync(s.Owner.Id));
        Assert.True(await UserExistsAsync(s.OnlyHere.Id));
        Assert.True(await UserExistsAsync(s.AlsoElsewhere.Id));
        Assert.True(await portal.WithDbAsync(db => db.ClientUsers.AnyAsync(cu => cu.UserId == s.AlsoElsewhere.Id && cu.ClientId == s.Elsewhere.Id)));
    }

    [Fact]
    public async Task Without_confirmation_nothing_is_deleted()
    {
        var s = await ArrangeAsync();
        using var admin = await portal.CreateAdminBrowserAsync();

        var page = await Page.ReadAsync(await admin.SubmitAsync($"/admin/clients/{s.Client.Id}/delete", new() { ["Input.DeleteUsers"] = "true" }));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.False(string.IsNullOrEmpty(page.ErrorFor("Input.Confirm")));
        Assert.True(await portal.WithDbAsync(db => db.Clients.AnyAsync(c => c.Id == s.Client.Id)));
        Assert.True(await UserExistsAsync(s.OnlyHere.Id));
    }
}
