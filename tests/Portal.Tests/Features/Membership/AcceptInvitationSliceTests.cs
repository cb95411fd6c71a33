using Microsoft.EntityFrameworkCore;
using Portal.Features.Membership;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Membership;

[Collection(MembershipCollection.Name)]
public sealed class AcceptInvitationSliceTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    [Fact]
    public async Task Accepting_associates_the_user_with_the_invited_permissions_and_uses_up_the_link()
    {
        var (_, client) = await slice.CreateOwnerAsync("Slice Welcome Co");
        var joiner = await slice.CreateUserAsync();
        var (invitation, token) = await slice.InviteAsync(client.Id, joiner.Email!, Permission.Invoices, Permission.Tickets);

        var result = await slice.SendAsync(new AcceptInvitation.Command(token, joiner.Id));

        Assert.Equal(AcceptInvitation.Outcome.Accepted, result.Outcome);
        var accepted = await slice.FindAsync<Invitation>(invitation.Id);
        Assert.Equal(InvitationStatus.Accepted, accepted!.Status);
        Assert.Equal(joiner.Id, accepted.AcceptedByUserId);
        var stored = await slice.ExecuteDbContextAsync(db => db.ClientUsers.Where(cu => cu.ClientId == client.Id && cu.UserId == joiner.Id).Select(cu => cu.StoredPermissions).SingleAsync());
        Assert.Equal("invoices,tickets", stored);
        Assert.Contains(await slice.ActivityForAsync(client.Id), d => d.Contains($"User {joiner.Email} accepted the invitation"));
        Assert.Null(await slice.SendAsync(new AcceptInvitation.Query(token)));
    }

    [Fact]
    public async Task A_second_user_with_the_same_link_is_told_there_is_no_pending_invite()
    {
        var (_, client) = await slice.CreateOwnerAsync("Slice Once Co");
        var (_, token) = await slice.InviteAsync(client.Id, PortalFixture.UniqueEmail("once"));
        var first = await slice.CreateUserAsync();
        var second = await slice.CreateUserAsync();

        await slice.SendAsync(new AcceptInvitation.Command(token, first.Id));

        await Assert.ThrowsAsync<NotFoundException>(() => slice.SendAsync(new AcceptInvitation.Command(token, second.Id)));
        Assert.Equal(2, await slice.ExecuteDbContextAsync(db => db.ClientUsers.CountAsync(cu => cu.ClientId == client.Id)));
    }

    [Fact]
    public async Task A_link_past_its_validity_is_refused_even_before_the_daily_job_runs()
    {
        var (_, client) = await slice.CreateOwnerAsync("Slice Late Co");
        var joiner = await slice.CreateUserAsync();
        var (_, token) = await slice.InviteAsync(client.Id, joiner.Email!);
        slice.Time.Advance(TimeSpan.FromDays(7));

        await Assert.ThrowsAsync<NotFoundException>(() => slice.SendAsync(new AcceptInvitation.Command(token, joiner.Id)));
    }

    [Fact]
    public async Task The_old_link_of_a_reissued_invitation_no_longer_works()
    {
        var (_, client) = await slice.CreateOwnerAsync("Slice Reissue Co");
        var joiner = await slice.CreateUserAsync();
        var (invitation, oldToken) = await slice.InviteAsync(client.Id, joiner.Email!);

        Assert.Equal(joiner.Email, await slice.SendAsync(new ManageInvitation.Resend(client.Id, invitation.Id)));
        await Assert.ThrowsAsync<NotFoundException>(() => slice.SendAsync(new AcceptInvitation.Command(oldToken, joiner.Id)));
        Assert.Equal(InvitationStatus.Pending, (await slice.FindAsync<Invitation>(invitation.Id))!.Status);
    }

    [Fact]
    public async Task Of_two_accepts_saved_from_the_same_read_the_database_lets_exactly_one_win()
    {
        var (_, client) = await slice.CreateOwnerAsync("Slice Race Co");
        var (invitation, _) = await slice.InviteAsync(client.Id, PortalFixture.UniqueEmail("race"));
        var first = await slice.CreateUserAsync();
        var second = await slice.CreateUserAsync();

        await slice.ExecuteDbContextAsync(async one => await slice.ExecuteDbContextAsync(async other =>
        {
            var mine = await one.Invitations.Include(i => i.Client).SingleAsync(i => i.Id == invitation.Id);
            var theirs = await other.Invitations.Include(i => i.Client).SingleAsync(i => i.Id == invitation.Id);
            one.ClientUsers.Add(mine.Accept(await one.Users.SingleAsync(u => u.Id == first.Id), slice.Now));
            other.ClientUsers.Add(theirs.Accept(await other.Users.SingleAsync(u => u.Id == second.Id), slice.Now));

            await one.SaveChangesAsync();
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => other.SaveChangesAsync());
        }));

        var accepted = await slice.FindAsync<Invitation>(invitation.Id);
        Assert.Equal(first.Id, accepted!.AcceptedByUserId);
        Assert.Equal(1, await slice.ExecuteDbContextAsync(db => db.ClientUsers.CountAsync(cu => cu.ClientId == client.Id && cu.UserId != client.OwnerUserId)));
    }
}
