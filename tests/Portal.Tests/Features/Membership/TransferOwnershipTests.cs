using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Clients;
using Portal.Features.Identity;
using Portal.Features.Membership;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Membership;

/// <summary>Ownership handed on by the owner: offered with the password, accepted by the chosen user's one-time link.</summary>
[Collection(MembershipCollection.Name)]
public sealed class TransferOwnershipTests(PortalFixture portal)
{
    private async Task<(User Owner, Client Client, User Member)> AccountWithMemberAsync(string company = "Handover Co")
    {
        var (owner, client) = await portal.CreateOwnerAsync(company);
        var member = await portal.CreateUserAsync(firstName: "Nadia");
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        return (owner, client, member);
    }

    /// <summary>Who owns the account, each user's stored permissions, and the transfers' states: what "nothing changed" compares.</summary>
    private Task<string> StateAsync(int clientId) => portal.WithDbAsync(async db =>
    {
        var owner = await db.Clients.Where(c => c.Id == clientId).Select(c => c.OwnerUserId).SingleAsync();
        var users = await db.ClientUsers.Where(cu => cu.ClientId == clientId).OrderBy(cu => cu.UserId).Select(cu => $"{cu.UserId}:{cu.StoredPermissions}:{cu.Version}").ToListAsync();
        var transfers = await db.OwnershipTransfers.Where(t => t.ClientId == clientId).OrderBy(t => t.Id).Select(t => $"{t.Id}:{t.Status}").ToListAsync();
        return $"{owner}|{string.Join(",", users)}|{string.Join(",", transfers)}";
    });

    [Fact]
    public async Task The_chosen_user_accepts_by_the_emailed_link_and_becomes_the_one_owner_while_the_old_owner_keeps_every_permission()
    {
        var (owner, client, member) = await AccountWithMemberAsync();
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        Assert.NotNull((await ownerBrowser.GetAsync("/account/users")).Document.QuerySelector("a[data-transfer-ownership]"));

        var offered = await ownerBrowser.OfferOwnershipAsync(member.Id);

        Assert.Equal(HttpStatusCode.Redirect, offered.StatusCode);
        var pendingPage = await ownerBrowser.FollowAsync(offered);
        Assert.Contains(member.Email!, pendingPage.Document.QuerySelector("[data-pending-transfer]")!.TextContent);
        Assert.Equal(owner.Id, (await portal.WithDbAsync(db => db.Clients.SingleAsync(c => c.Id == client.Id))).OwnerUserId);
        var link = await portal.OwnershipLinkAsync(member.Email!);
        Assert.True(await portal.WithDbAsync(db => db.EmailMessages.AnyAsync(m => m.To == owner.Email && m.Kind == "OwnershipTransferNotice" && m.ClientId == client.Id)));
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.ClientId == client.Id && e.UserId == owner.Id
            && e.Description == $"Ownership transfer of {client.DisplayName} (#{client.Id}) offered by {owner.Email} to {member.Email}")));
        var token = link.Split('/')[^1];
        Assert.False(await portal.WithDbAsync(db => db.OwnershipTransfers.AnyAsync(t => t.TokenHash == token)), "only the token's hash is stored");

        using var memberBrowser = await portal.LoginAsync(member.Email!);
        var dashboard = await memberBrowser.GetAsync("/dashboard");
        Assert.Contains(client.DisplayName, dashboard.Document.QuerySelector($"[data-ownership-offer='{client.Id}']")!.TextContent);
        var page = await memberBrowser.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(client.DisplayName, page.Document.QuerySelector("[data-offer]")!.TextContent);
        Assert.Equal("no-referrer", page.Response.Headers.GetValues("Referrer-Policy").Single());

        var accepted = await memberBrowser.SubmitAsync(page, [], "form[data-accept-transfer]");

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal("/account/users", accepted.Headers.Location!.PathAndQuery());
        var after = await portal.WithDbAsync(db => db.Clients.Include(c => c.Users).SingleAsync(c => c.Id == client.Id));
        Assert.Equal(member.Id, after.OwnerUserId);
        Assert.Single(after.Users, cu => cu.IsOwner);
        Assert.True(after.Users.Single(cu => cu.UserId == owner.Id).Permissions.IsEvery);
        Assert.True(Portal.Features.Membership.PermissionSet.Parse(after.Users.Single(cu => cu.UserId == owner.Id).StoredPermissions).IsEvery, "the old owner's every permission is stored, not implied");
        Assert.Equal(OwnershipTransferStatus.Accepted, await portal.WithDbAsync(db => db.OwnershipTransfers.Where(t => t.ClientId == client.Id).Select(t => t.Status).SingleAsync()));
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.ClientId == client.Id && e.Description == $"User {member.Email} ownership granted for {client.DisplayName} (#{client.Id})")));
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.ClientId == client.Id && e.UserId == member.Id
            && e.Description == $"Ownership transfer of {client.DisplayName} (#{client.Id}) from {owner.Email} accepted by {member.Email}")));
        foreach (var party in new[] { owner.Email!, member.Email! })
        {
            Assert.True(await portal.WithDbAsync(db => db.EmailMessages.AnyAsync(m => m.To == party && m.Subject == $"Ownership of {client.DisplayName} has changed")));
        }

        // The new owner manages users now; the old one no longer does, and may leave.
        Assert.Equal(HttpStatusCode.OK, (await memberBrowser.GetAsync("/account/users")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await ownerBrowser.GetAsync("/account/users")).Status);
        Assert.NotNull((await ownerBrowser.GetAsync("/account/leave")).Document.QuerySelector("main form"));

        // Used once: the same link again changes nothing.
        var again = await memberBrowser.GetAsync(link);
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
        Assert.NotNull(again.Document.QuerySelector("[data-no-transfer]"));
    }

    [Fact]
    public async Task A_wrong_password_or_a_user_who_is_not_a_member_is_refused_and_nothing_is_offered()
    {
        var (owner, client, member) = await AccountWithMemberAsync();
        var (outsider, _) = await portal.CreateOwnerAsync("Outside Co");
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        var before = await StateAsync(client.Id);

        var wrong = await ownerBrowser.OfferOwnershipAsync(member.Id, "not my password at all");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains(TransferOwnership.WrongPassword, (await Page.ReadAsync(wrong)).FieldErrors);

        var token = await ownerBrowser.AntiforgeryTokenAsync("/account/users/transfer");
        var notMember = await ownerBrowser.PostAsync("/account/users/transfer",
            [new("__RequestVerificationToken", token), new("Input.UserId", outsider.Id.ToString()), new("Input.Password", PortalFixture.Password)]);
        Assert.Equal(HttpStatusCode.OK, notMember.StatusCode);
        Assert.Contains(OwnershipTransfer.TargetMustBeMember, (await Page.ReadAsync(notMember)).FieldErrors);

        var self = await ownerBrowser.PostAsync("/account/users/transfer",
            [new("__RequestVerificationToken", token), new("Input.UserId", owner.Id.ToString()), new("Input.Password", PortalFixture.Password)]);
        Assert.Contains(OwnershipTransfer.TargetIsOwner, (await Page.ReadAsync(self)).FieldErrors);

        Assert.Equal(before, await StateAsync(client.Id));
        Assert.False(await portal.WithDbAsync(db => db.EmailMessages.AnyAsync(m => m.ClientId == client.Id && m.Kind == "OwnershipOffered")));
    }

    [Fact]
    public async Task A_cancelled_offer_is_dead_and_both_parties_are_told()
    {
        var (owner, client, member) = await AccountWithMemberAsync();
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        await ownerBrowser.OfferOwnershipAsync(member.Id);
        var link = await portal.OwnershipLinkAsync(member.Email!);
        using var memberBrowser = await portal.LoginAsync(member.Email!);
        var loaded = await memberBrowser.GetAsync(link);

        var cancelled = await ownerBrowser.SubmitAsync("/account/users/transfer", [], "[data-pending-transfer] form");

        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        var before = await StateAsync(client.Id);
        var late = await memberBrowser.SubmitAsync(loaded, [], "form[data-accept-transfer]");
        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);
        Assert.Equal(before, await StateAsync(client.Id));
        Assert.Equal(owner.Id, await portal.WithDbAsync(db => db.Clients.Where(c => c.Id == client.Id).Select(c => c.OwnerUserId).SingleAsync()));
        Assert.Null((await memberBrowser.GetAsync("/dashboard")).Document.QuerySelector("[data-ownership-offer]"));
        foreach (var party in new[] { owner.Email!, member.Email! })
        {
            Assert.True(await portal.WithDbAsync(db => db.EmailMessages.AnyAsync(m => m.To == party && m.Subject == $"Ownership transfer of {client.DisplayName} cancelled")));
        }

        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.ClientId == client.Id && e.Description == $"Ownership transfer of {client.DisplayName} (#{client.Id}) to {member.Email} cancelled")));
    }

    [Fact]
    public async Task An_expired_offer_is_dead()
    {
        var (owner, client, member) = await AccountWithMemberAsync();
        var (_, token) = await portal.PendingTransferAsync(client.Id, member.Id);
        using var memberBrowser = await portal.LoginAsync(member.Email!);
        var loaded = await memberBrowser.GetAsync($"/ownership/{token}");
        Assert.Equal(HttpStatusCode.OK, loaded.Status);
        await portal.WithDbAsync(db => db.OwnershipTransfers.Where(t => t.ClientId == client.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, portal.Factory.Time.GetUtcNow().AddSeconds(-1))));
        var before = await StateAsync(client.Id);

        Assert.Equal(HttpStatusCode.NotFound, (await memberBrowser.GetAsync($"/ownership/{token}")).Status);
        var late = await memberBrowser.SubmitAsync(loaded, [], "form[data-accept-transfer]");

        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);
        Assert.Equal(before, await StateAsync(client.Id));
        Assert.Equal(owner.Id, await portal.WithDbAsync(db => db.Clients.Where(c => c.Id == client.Id).Select(c => c.OwnerUserId).SingleAsync()));
    }

    [Fact]
    public async Task A_user_removed_before_accepting_is_refused_and_nothing_changes()
    {
        var (owner, client, member) = await AccountWithMemberAsync();
        var (_, token) = await portal.PendingTransferAsync(client.Id, member.Id);
        var (_, otherAccount) = await portal.CreateOwnerAsync("Member Elsewhere Co");
        await portal.AssociateAsync(otherAccount.Id, member.Id, Permission.Tickets);
        using var memberBrowser = await portal.LoginAsync(member.Email!);
        var loaded = await memberBrowser.GetAsync($"/ownership/{token}");
        await portal.WithDbAsync(async db =>
        {
            db.ClientUsers.Remove(await db.ClientUsers.SingleAsync(cu => cu.ClientId == client.Id && cu.UserId == member.Id));
            await db.SaveChangesAsync();
        });
        var before = await StateAsync(client.Id);

        var response = await memberBrowser.SubmitAsync(loaded, [], "form[data-accept-transfer]");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(AcceptTransfer.NoLongerMember, await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await StateAsync(client.Id));
        Assert.Null((await memberBrowser.GetAsync("/dashboard")).Document.QuerySelector("[data-ownership-offer]"));
        Assert.Equal(owner.Id, await portal.WithDbAsync(db => db.Clients.Where(c => c.Id == client.Id).Select(c => c.OwnerUserId).SingleAsync()));
    }

    [Fact]
    public async Task The_link_works_for_the_chosen_user_only_and_never_signed_out()
    {
        var (_, client, member) = await AccountWithMemberAsync();
        var colleague = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, colleague.Id, [.. Enum.GetValues<Permission>()]);
        var (_, token) = await portal.PendingTransferAsync(client.Id, member.Id);
        var before = await StateAsync(client.Id);

        using var colleagueBrowser = await portal.LoginAsync(colleague.Email!);
        var seen = await colleagueBrowser.GetAsync($"/ownership/{token}");
        Assert.Equal(HttpStatusCode.NotFound, seen.Status);
        Assert.DoesNotContain(client.DisplayName, seen.Document.QuerySelector("main")!.TextContent);
        var formToken = await colleagueBrowser.AntiforgeryTokenAsync("/dashboard");
        Assert.Equal(HttpStatusCode.NotFound, (await colleagueBrowser.PostAsync($"/ownership/{token}", [new("__RequestVerificationToken", formToken)])).StatusCode);

        using var anonymous = portal.NewBrowser();
        var signedOut = await anonymous.GetAsync($"/ownership/{token}");
        Assert.NotNull(signedOut.Document.QuerySelector("[data-log-in-first]"));
        Assert.DoesNotContain(client.DisplayName, signedOut.Text);
        var anonymousToken = await anonymous.AntiforgeryTokenAsync("/login");
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync($"/ownership/{token}", [new("__RequestVerificationToken", anonymousToken)])).StatusCode);

        Assert.Equal(before, await StateAsync(client.Id));
    }

    [Fact]
    public async Task The_admin_sees_the_pending_transfer_on_the_users_tab_and_cancels_it()
    {
        var (owner, client, member) = await AccountWithMemberAsync("Admin Watched Co");
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        await ownerBrowser.OfferOwnershipAsync(member.Id);
        var link = await portal.OwnershipLinkAsync(member.Email!);
        using var admin = await portal.CreateAdminBrowserAsync();

        var tab = await admin.GetAsync($"/admin/clients/{client.Id}/users");
        Assert.Contains(member.Email!, tab.Document.QuerySelector("[data-pending-transfer]")!.TextContent);
        var cancelled = await admin.SubmitAsync(tab, [], "[data-pending-transfer] form");

        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        Assert.Null((await admin.GetAsync($"/admin/clients/{client.Id}/users")).Document.QuerySelector("[data-pending-transfer]"));
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.ClientId == client.Id && e.AdminId != null
            && e.Description == $"Ownership transfer of {client.DisplayName} (#{client.Id}) to {member.Email} cancelled")));
        using var memberBrowser = await portal.LoginAsync(member.Email!);
        Assert.Equal(HttpStatusCode.NotFound, (await memberBrowser.GetAsync(link)).Status);

        // A second cancel of the same offer is told, not an error.
        var token = await admin.AntiforgeryTokenAsync($"/admin/clients/{client.Id}/users");
        var transferId = await portal.WithDbAsync(db => db.OwnershipTransfers.Where(t => t.ClientId == client.Id).Select(t => t.Id).SingleAsync());
        var again = await admin.PostAsync($"/admin/clients/{client.Id}/users?handler=CancelTransfer&transferId={transferId}", [new("__RequestVerificationToken", token)]);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Contains("no longer pending", (await admin.FollowAsync(again)).Text);
    }

    [Fact]
    public async Task A_new_offer_replaces_the_pending_one_whose_link_stops_working()
    {
        var (owner, client, member) = await AccountWithMemberAsync();
        var second = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, second.Id, Permission.Invoices);
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        await ownerBrowser.OfferOwnershipAsync(member.Id);
        var first = await portal.OwnershipLinkAsync(member.Email!);

        await ownerBrowser.OfferOwnershipAsync(second.Id);

        using var memberBrowser = await portal.LoginAsync(member.Email!);
        Assert.Equal(HttpStatusCode.NotFound, (await memberBrowser.GetAsync(first)).Status);
        Assert.Equal(1, await portal.WithDbAsync(db => db.OwnershipTransfers.CountAsync(t => t.ClientId == client.Id && t.Status == OwnershipTransferStatus.Pending)));
    }
}
