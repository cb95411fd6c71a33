using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;
using Portal.Features.Clients;

namespace Portal.Tests.Features.Membership;

[Collection(MembershipCollection.Name)]
public sealed class MakeOwnerSliceTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    [Fact]
    public async Task The_new_owner_owns_the_account_and_the_previous_owner_stays_with_every_permission()
    {
        var (previous, client) = await slice.CreateOwnerAsync("Slice Handover Co");
        var successor = await slice.CreateUserAsync();
        await slice.AssociateAsync(client.Id, successor.Id, Permission.Tickets);

        await slice.SendAsync(new MakeOwner.Command { ClientId = client.Id, UserId = successor.Id, Confirm = true });

        Assert.Equal(successor.Id, (await slice.FindAsync<Client>(client.Id))!.OwnerUserId);
        var stored = await slice.ExecuteDbContextAsync(db => db.ClientUsers.Where(cu => cu.ClientId == client.Id)
            .ToDictionaryAsync(cu => cu.UserId, cu => cu.StoredPermissions));
        Assert.Equal(PermissionSet.Every.Stored, stored[previous.Id]);
        Assert.Equal(PermissionSet.Every.Stored, stored[successor.Id]);
        var log = await slice.ActivityForAsync(client.Id);
        Assert.Contains(log, d => d.StartsWith($"User {successor.Email} ownership granted"));
        Assert.Contains(log, d => d.StartsWith($"User {previous.Email} ownership removed") && d.EndsWith("keeps access with All Permissions"));
    }

    [Fact]
    public async Task An_unconfirmed_change_is_refused_by_the_pipeline_and_changes_nothing()
    {
        var (owner, client) = await slice.CreateOwnerAsync("Slice Unconfirmed Co");
        var successor = await slice.CreateUserAsync();
        await slice.AssociateAsync(client.Id, successor.Id, Permission.Tickets);

        await Assert.ThrowsAsync<ValidationException>(() => slice.SendAsync(new MakeOwner.Command { ClientId = client.Id, UserId = successor.Id }));

        Assert.Equal(owner.Id, (await slice.FindAsync<Client>(client.Id))!.OwnerUserId);
    }
}
