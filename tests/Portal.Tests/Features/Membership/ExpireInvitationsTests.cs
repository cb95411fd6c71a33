using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Features.Membership;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Membership;

[Collection(MembershipCollection.Name)]
public sealed class ExpireInvitationsTests(PortalFixture portal)
{
    private async Task<ExpireInvitations.Outcome> RunJobAsync()
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ExpireInvitations.Job>().RunAsync(CancellationToken.None);
    }

    private Task<InvitationStatus?> StatusAsync(string email) =>
        portal.WithDbAsync(db => db.Invitations.Where(i => i.Email == email).Select(i => (InvitationStatus?)i.Status).SingleOrDefaultAsync());

    [Fact]
    public async Task Invitations_expire_after_their_validity_and_are_deleted_after_fourteen_days_and_a_second_run_changes_nothing()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Expiring Co");
        using var browser = await portal.LoginAsync(owner.Email!);
        var invited = PortalFixture.UniqueEmail("expiring");
        await browser.InviteAsync(invited);
        await RunJobAsync();

        portal.Factory.Time.Advance(TimeSpan.FromDays(6));
        await RunJobAsync();
        Assert.Equal(InvitationStatus.Pending, await StatusAsync(invited));

        portal.Factory.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var expiring = await RunJobAsync();
        Assert.True(expiring.Expired >= 1);
        Assert.Equal(InvitationStatus.Expired, await StatusAsync(invited));
        var entries = await portal.WithDbAsync(db => db.ActivityLog.Where(e => e.ClientId == client.Id && e.Description.Contains($"Invitation to {invited}")).ToListAsync());
        var entry = Assert.Single(entries);
        Assert.True(entry.IsSystem);

        await RunJobAsync();
        Assert.Single(await portal.WithDbAsync(db => db.ActivityLog.Where(e => e.Description.Contains($"Invitation to {invited}")).ToListAsync()));

        portal.Factory.Time.Advance(TimeSpan.FromDays(7));
        await RunJobAsync();
        Assert.Null(await StatusAsync(invited));
    }

    [Fact]
    public async Task The_job_is_registered_to_run_daily()
    {
        using var connection = portal.Jobs.GetConnection();

        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == ExpireInvitations.RecurringJobId);

        Assert.Equal(Cron.Daily(3), job.Cron);
        Assert.Equal(typeof(ExpireInvitations.Job), job.Job.Type);
    }
}
