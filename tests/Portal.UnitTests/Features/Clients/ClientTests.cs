using Portal.Features.Membership;
using Portal.Features.Clients;
using Portal.UnitTests.Features.Membership;

namespace Portal.UnitTests.Features.Clients;

public sealed class ClientTests
{
    [Fact]
    public void Opening_an_account_makes_the_user_its_owner_with_every_permission()
    {
        var owner = Build.User();
        var client = Build.Client(owner);

        var association = Assert.Single(client.Users);
        Assert.Equal(owner.Id, client.OwnerUserId);
        Assert.True(association.IsOwner);
        Assert.True(association.Permissions.IsEvery);
    }

    [Fact]
    public void Transferring_ownership_gives_the_new_owner_every_permission_and_the_previous_owner_keeps_every_permission()
    {
        var (client, previousOwner, member) = Build.AccountWithMember(Permission.Tickets);

        var previous = client.TransferOwnership(member);

        Assert.Same(previousOwner, previous);
        Assert.Equal(member.UserId, client.OwnerUserId);
        Assert.True(member.IsOwner);
        Assert.True(member.Permissions.IsEvery);
        Assert.False(previous.IsOwner);
        Assert.True(previous.Permissions.IsEvery);
        Assert.Equal(PermissionSet.Every.Stored, previous.StoredPermissions);
    }

    [Fact]
    public void Transferring_ownership_bumps_both_versions_so_open_permission_forms_become_stale()
    {
        var (client, owner, member) = Build.AccountWithMember(Permission.Tickets);
        var (ownerVersion, memberVersion) = (owner.Version, member.Version);

        client.TransferOwnership(member);

        Assert.Equal(ownerVersion + 1, owner.Version);
        Assert.Equal(memberVersion + 1, member.Version);
    }

    [Fact]
    public void The_owner_cannot_be_made_owner_again()
    {
        var (client, owner, _) = Build.AccountWithMember(Permission.Tickets);

        Assert.Throws<InvalidOperationException>(() => client.TransferOwnership(owner));
    }

    [Fact]
    public void Ownership_cannot_go_to_a_user_of_another_account()
    {
        var (client, _, _) = Build.AccountWithMember(Permission.Tickets);
        var (_, _, stranger) = Build.AccountWithMember(Permission.Tickets);

        Assert.Throws<InvalidOperationException>(() => client.TransferOwnership(stranger));
        Assert.NotEqual(stranger.UserId, client.OwnerUserId);
    }

    [Fact]
    public void Closing_an_account_records_when_and_reopening_clears_it()
    {
        var client = Build.Client(Build.User());

        client.ChangeStatus(ClientStatus.Closed, Build.Now);
        Assert.Equal(Build.Now, client.ClosedAt);

        client.ChangeStatus(ClientStatus.Active, Build.Now.AddDays(1));
        Assert.Null(client.ClosedAt);
    }

    [Fact]
    public void A_closure_request_waits_once_and_is_settled_by_closing_or_rejecting()
    {
        var client = Build.Client(Build.User());

        client.RequestClosure("Winding down", Build.Now);

        Assert.True(client.AwaitsClosure);
        Assert.Equal(ClientStatus.Active, client.Status);
        Assert.NotNull(client.CannotRequestClosure());
        Assert.Throws<InvalidOperationException>(() => client.RequestClosure("Again", Build.Now));

        client.RejectClosure();
        Assert.False(client.AwaitsClosure);
        Assert.Null(client.CannotRequestClosure());

        client.RequestClosure("Winding down, really", Build.Now.AddDays(1));
        client.Close(Build.Now.AddDays(2));
        Assert.Equal(ClientStatus.Closed, client.Status);
        Assert.Equal(Build.Now.AddDays(2), client.ClosedAt);
        Assert.False(client.AwaitsClosure);
        Assert.Equal("This account is already closed.", client.CannotRequestClosure());
        Assert.Throws<InvalidOperationException>(() => client.RejectClosure());
    }
}
