using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;

namespace Portal.Tests.Features.Membership;

[Collection(MembershipCollection.Name)]
public sealed class ManagePermissionsSliceTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    private Task<ClientUser> AssociationAsync(int clientId, int userId) =>
        slice.ExecuteDbContextAsync(db => db.ClientUsers.AsNoTracking().SingleAsync(cu => cu.ClientId == clientId && cu.UserId == userId));

    [Fact]
    public async Task A_change_is_stored_logged_and_moves_the_version_on()
    {
        var (_, client) = await slice.CreateOwnerAsync("Slice Permissions Co");
        var member = await slice.CreateUserAsync();
        await slice.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        var loaded = await AssociationAsync(client.Id, member.Id);

        await slice.SendAsync(new ManagePermissions.Command { ClientId = client.Id, UserId = member.Id, Version = loaded.Version, Permissions = ["invoices", "emails"] });

        var saved = await AssociationAsync(client.Id, member.Id);
        Assert.Equal("invoices,emails", saved.StoredPermissions);
        Assert.Equal(loaded.Version + 1, saved.Version);
        Assert.Contains(await slice.ActivityForAsync(client.Id), d => d.Contains("changed from {View & Open Support Tickets} to {View & Pay Invoices, View Emails}"));
    }

    [Fact]
    public async Task A_save_from_a_form_loaded_before_another_change_is_refused_with_the_conflict_message()
    {
        var (_, client) = await slice.CreateOwnerAsync("Slice Stale Co");
        var member = await slice.CreateUserAsync();
        await slice.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        var loaded = await AssociationAsync(client.Id, member.Id);
        await slice.SendAsync(new ManagePermissions.Command { ClientId = client.Id, UserId = member.Id, Version = loaded.Version, Permissions = ["invoices"] });

        var refusal = await Assert.ThrowsAnyAsync<Exception>(() =>
            slice.SendAsync(new ManagePermissions.Command { ClientId = client.Id, UserId = member.Id, Version = loaded.Version, Permissions = ["quotes"] }));

        Assert.Contains(ManagePermissions.Conflict, refusal.Message);
        Assert.Equal("invoices", (await AssociationAsync(client.Id, member.Id)).StoredPermissions);
    }

    [Fact]
    public async Task The_owners_permissions_are_never_changed()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Slice Owner Co");
        var loaded = await AssociationAsync(client.Id, owner.Id);

        var refusal = await Assert.ThrowsAnyAsync<Exception>(() =>
            slice.SendAsync(new ManagePermissions.Command { ClientId = client.Id, UserId = owner.Id, Version = loaded.Version, Permissions = ["tickets"] }));

        Assert.Contains(ClientUser.OwnerPermissionsFixed, refusal.Message);
        Assert.Equal(PermissionSet.Every.Stored, (await AssociationAsync(client.Id, owner.Id)).StoredPermissions);
    }
}
