using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;

namespace Portal.Tests.Features.Membership;

[Collection(MembershipCollection.Name)]
public sealed class ExpireInvitationsSliceTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    private Task<ExpireInvitations.Outcome> RunAsync() =>
        slice.ExecuteScopeAsync(services => services.GetRequiredService<ExpireInvitations.Job>().RunAsync(CancellationToken.None));

    [Fact]
    public async Task A_lapsed_invitation_is_expired_and_logged_once_however_often_the_job_runs()
    {
        var (_, client) = await slice.CreateOwnerAsync("Slice Lapsing Co");
        var (lapsing, _) = await slice.InviteAsync(client.Id, PortalFixture.UniqueEmail("lapsing"));
        slice.Time.Advance(TimeSpan.FromDays(7));
        var (fresh, _) = await slice.InviteAsync(client.Id, PortalFixture.UniqueEmail("fresh"));

        await RunAsync();
        await RunAsync();

        Assert.Equal(InvitationStatus.Expired, (await slice.FindAsync<Invitation>(lapsing.Id))!.Status);
        Assert.Equal(InvitationStatus.Pending, (await slice.FindAsync<Invitation>(fresh.Id))!.Status);
        Assert.Single(await slice.ActivityForAsync(client.Id), d => d == $"Invitation to {lapsing.Email} for {client.DisplayName} expired");
    }

    [Fact]
    public async Task Settled_invitations_are_deleted_after_fourteen_days_and_younger_ones_are_kept()
    {
        var (_, client) = await slice.CreateOwnerAsync("Slice Pruning Co");
        var (cancelled, _) = await slice.InviteAsync(client.Id, PortalFixture.UniqueEmail("cancelled"));
        await slice.SendAsync(new Portal.Features.Membership.ManageInvitation.Cancel(client.Id, cancelled.Id));
        slice.Time.Advance(TimeSpan.FromDays(13));
        var (pending, _) = await slice.InviteAsync(client.Id, PortalFixture.UniqueEmail("pending"));

        await RunAsync();
        Assert.NotNull(await slice.FindAsync<Invitation>(cancelled.Id));

        slice.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        await RunAsync();

        Assert.Null(await slice.FindAsync<Invitation>(cancelled.Id));
        Assert.NotNull(await slice.FindAsync<Invitation>(pending.Id));
    }
}
