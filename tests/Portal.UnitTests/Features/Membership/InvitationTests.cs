using Portal.Features.Membership;

namespace Portal.UnitTests.Features.Membership;

public sealed class InvitationTests
{
    private static readonly DateTimeOffset Now = Build.Now;

    [Fact]
    public void Accepting_uses_up_the_invitation_and_associates_the_user_with_the_invited_permissions()
    {
        var client = Build.Client(Build.User("owner@example.test"));
        var invitation = Build.Invitation(client, "invitee@example.test", Permission.Invoices, Permission.Tickets);
        var joiner = Build.User("joiner@example.test");

        var association = invitation.Accept(joiner, Now.AddDays(1));

        Assert.Equal(InvitationStatus.Accepted, invitation.Status);
        Assert.Equal(joiner.Id, invitation.AcceptedByUserId);
        Assert.Equal(Now.AddDays(1), invitation.AcceptedAt);
        Assert.Equal(joiner.Id, association.UserId);
        Assert.Equal(PermissionSet.Of([Permission.Invoices, Permission.Tickets]), association.Permissions);
        Assert.Equal(Now.AddDays(1), association.LastLoginAt);
        Assert.False(invitation.IsUsable(Now.AddDays(1)));
    }

    [Fact]
    public void A_link_works_once()
    {
        var invitation = Build.Invitation(Build.Client(Build.User()));
        invitation.Accept(Build.User("first@example.test"), Now);

        Assert.Throws<InvalidOperationException>(() => invitation.Accept(Build.User("second@example.test"), Now));
    }

    [Fact]
    public void A_link_past_its_validity_cannot_be_accepted_even_before_the_daily_job_expires_it()
    {
        var invitation = Build.Invitation(Build.Client(Build.User()));

        Assert.Throws<InvalidOperationException>(() => invitation.Accept(Build.User(), Now.AddDays(7)));
        Assert.Equal(InvitationStatus.Pending, invitation.Status);
        Assert.True(invitation.HasLapsed(Now.AddDays(7)));
    }

    [Fact]
    public void A_cancelled_invitation_cannot_be_accepted_or_reissued()
    {
        var invitation = Build.Invitation(Build.Client(Build.User()));
        invitation.Cancel();

        Assert.Throws<InvalidOperationException>(() => invitation.Accept(Build.User(), Now));
        Assert.False(invitation.CanBeReissued);
        Assert.Throws<InvalidOperationException>(() => invitation.Reissue("hash-2", Now, TimeSpan.FromDays(7)));
        Assert.Throws<InvalidOperationException>(invitation.Cancel);
    }

    [Fact]
    public void Expiring_marks_only_a_pending_invitation_past_its_validity()
    {
        var invitation = Build.Invitation(Build.Client(Build.User()));

        Assert.False(invitation.Expire(Now.AddDays(7).AddTicks(-1)));
        Assert.Equal(InvitationStatus.Pending, invitation.Status);

        Assert.True(invitation.Expire(Now.AddDays(7)));
        Assert.Equal(InvitationStatus.Expired, invitation.Status);

        Assert.False(invitation.Expire(Now.AddDays(8)));
    }

    [Fact]
    public void An_accepted_invitation_never_expires()
    {
        var invitation = Build.Invitation(Build.Client(Build.User()));
        invitation.Accept(Build.User(), Now);

        Assert.False(invitation.Expire(Now.AddDays(30)));
        Assert.Equal(InvitationStatus.Accepted, invitation.Status);
    }

    [Fact]
    public void Reissuing_an_expired_invitation_gives_a_new_link_with_a_new_validity()
    {
        var invitation = Build.Invitation(Build.Client(Build.User()));
        invitation.Expire(Now.AddDays(8));

        invitation.Reissue("hash-2", Now.AddDays(8), TimeSpan.FromDays(3));

        Assert.Equal(InvitationStatus.Pending, invitation.Status);
        Assert.Equal("hash-2", invitation.TokenHash);
        Assert.Equal(Now.AddDays(8), invitation.CreatedAt);
        Assert.Equal(Now.AddDays(11), invitation.ExpiresAt);
        Assert.True(invitation.IsUsable(Now.AddDays(10)));
    }

    [Fact]
    public void An_accepted_invitation_cannot_be_reissued()
    {
        var invitation = Build.Invitation(Build.Client(Build.User()));
        invitation.Accept(Build.User(), Now);

        Assert.False(invitation.CanBeReissued);
        Assert.Throws<InvalidOperationException>(() => invitation.Reissue("hash-2", Now, TimeSpan.FromDays(7)));
    }

    [Theory]
    [InlineData("Invitee@Example.TEST", true)]
    [InlineData("invitee@example.test", true)]
    [InlineData("other@example.test", false)]
    [InlineData(null, false)]
    public void The_invited_address_is_compared_without_regard_to_case(string? email, bool expected) =>
        Assert.Equal(expected, Build.Invitation(Build.Client(Build.User()), "invitee@example.test").IsFor(email));
}
