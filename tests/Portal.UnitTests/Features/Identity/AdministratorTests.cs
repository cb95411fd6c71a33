using Portal.Features.Identity;

namespace Portal.UnitTests.Features.Identity;

public sealed class AdministratorTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Wrong_passwords_lock_the_login_out_at_the_limit_for_the_lockout_duration()
    {
        var admin = new Administrator();

        for (var i = 1; i < LockoutPolicy.MaxFailedAttempts; i++)
        {
            Assert.False(admin.RecordFailedLogin(Now));
            Assert.False(admin.IsLockedOut(Now));
        }

        Assert.True(admin.RecordFailedLogin(Now));
        Assert.True(admin.IsLockedOut(Now));
        Assert.True(admin.IsLockedOut(Now + LockoutPolicy.Duration - TimeSpan.FromSeconds(1)));
        Assert.False(admin.IsLockedOut(Now + LockoutPolicy.Duration));
    }

    [Fact]
    public void After_a_lockout_the_count_starts_again()
    {
        var admin = new Administrator();
        for (var i = 0; i < LockoutPolicy.MaxFailedAttempts; i++)
        {
            admin.RecordFailedLogin(Now);
        }

        Assert.Equal(0, admin.AccessFailedCount);
        Assert.False(admin.RecordFailedLogin(Now + LockoutPolicy.Duration));
    }

    [Fact]
    public void A_successful_login_clears_failures_and_lockout()
    {
        var admin = new Administrator();
        admin.RecordFailedLogin(Now);
        admin.RecordFailedLogin(Now);

        admin.RecordLogin(Now.AddMinutes(1));

        Assert.Equal(0, admin.AccessFailedCount);
        Assert.Null(admin.LockoutEnd);
        Assert.Equal(Now.AddMinutes(1), admin.LastLoginAt);
    }
}
