using Portal.Features.Membership;

namespace Portal.UnitTests.Features.Membership;

public sealed class ClientUserTests
{
    [Fact]
    public void Changing_permissions_stores_the_new_set_and_bumps_the_version()
    {
        var (_, _, member) = Build.AccountWithMember(Permission.Tickets);
        var version = member.Version;

        member.ChangePermissions(PermissionSet.Of([Permission.Invoices, Permission.Quotes]));

        Assert.Equal(PermissionSet.Of([Permission.Invoices, Permission.Quotes]), member.Permissions);
        Assert.Equal("invoices,quotes", member.StoredPermissions);
        Assert.Equal(version + 1, member.Version);
    }

    [Fact]
    public void The_owners_permissions_cannot_be_changed_and_are_always_every_permission()
    {
        var (_, owner, _) = Build.AccountWithMember(Permission.Tickets);

        Assert.Throws<InvalidOperationException>(() => owner.ChangePermissions(PermissionSet.Of([Permission.Tickets])));
        Assert.True(owner.Permissions.IsEvery);
    }

    [Fact]
    public void A_member_keeps_at_least_one_permission()
    {
        var (_, _, member) = Build.AccountWithMember(Permission.Tickets);

        Assert.Throws<InvalidOperationException>(() => member.ChangePermissions(PermissionSet.Of([])));
        Assert.Throws<InvalidOperationException>(() => ClientUser.Associate(Build.Client(Build.User()), Build.User(), PermissionSet.Of([])));
        Assert.Equal(PermissionSet.Of([Permission.Tickets]), member.Permissions);
    }

    [Fact]
    public void Stored_keys_that_are_not_one_of_the_thirteen_grant_nothing()
    {
        Assert.Equal(PermissionSet.Of([Permission.Tickets]), ClientUser.Effective(false, "tickets,admin, ,superuser"));
        Assert.True(ClientUser.Effective(true, "").IsEvery);
    }

    [Fact]
    public void A_member_may_leave_but_the_owner_is_told_to_transfer_ownership_first()
    {
        var (_, owner, member) = Build.AccountWithMember(Permission.Tickets);

        Assert.Null(member.CannotLeave());
        Assert.Equal(ClientUser.OwnerCannotLeave, owner.CannotLeave());
        Assert.Contains("Transfer ownership", owner.CannotLeave());
    }
}
