using Portal.Infrastructure.Auth;
using Portal.Features.Settings;
using Portal.Features.Membership;

namespace Portal.Tests.Infrastructure.Auth;

public sealed class ActiveAccountTests
{
    private static readonly SettingsSnapshot Enabled = SettingsSnapshot.Defaults with { UserManagementDisabled = false };
    private static readonly SettingsSnapshot Disabled = SettingsSnapshot.Defaults with { UserManagementDisabled = true };

    [Fact]
    public void Only_the_owner_manages_users_and_only_while_the_admin_allows_it()
    {
        var owner = new ActiveAccount(1, "Acme Ltd", IsOwner: true, PermissionSet.Every);
        var member = new ActiveAccount(1, "Acme Ltd", IsOwner: false, PermissionSet.Every);

        Assert.True(owner.MayManageUsers(Enabled));
        Assert.False(owner.MayManageUsers(Disabled));
        Assert.False(member.MayManageUsers(Enabled));
        Assert.False(member.MayManageUsers(Disabled));
    }
}
