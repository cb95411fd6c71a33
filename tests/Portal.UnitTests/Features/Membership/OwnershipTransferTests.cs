using Portal.Features.Membership;

namespace Portal.UnitTests.Features.Membership;

public sealed class OwnershipTransferTests
{
    [Fact]
    public void An_offer_goes_only_to_a_user_of_the_account_who_is_not_its_owner()
    {
        var (client, owner, member) = Build.AccountWithMember(Permission.Tickets);
        var (elsewhere, _, stranger) = Build.AccountWithMember(Permission.Tickets);
        typeof(Portal.Features.Clients.Client).GetProperty("Id")!.SetValue(elsewhere, 7);
        typeof(ClientUser).GetProperty("ClientId")!.SetValue(stranger, 7);

        Assert.Null(OwnershipTransfer.CannotOffer(client, member));
        Assert.Equal(OwnershipTransfer.TargetIsOwner, OwnershipTransfer.CannotOffer(client, owner));
        Assert.Equal(OwnershipTransfer.TargetMustBeMember, OwnershipTransfer.CannotOffer(client, null));
        Assert.Equal(OwnershipTransfer.TargetMustBeMember, OwnershipTransfer.CannotOffer(client, stranger));
        Assert.Throws<InvalidOperationException>(() => OwnershipTransfer.Offer(client, owner, "hash", Build.Now));
    }

    [Fact]
    public void An_offer_may_be_accepted_by_its_user_only_while_pending_within_seven_days_and_while_its_maker_owns_the_account()
    {
        var (client, owner, member) = Build.AccountWithMember(Permission.Tickets);
        var transfer = OwnershipTransfer.Offer(client, member, "hash", Build.Now);

        Assert.Equal(Build.Now + TimeSpan.FromDays(7), transfer.ExpiresAt);
        Assert.True(transfer.MayBeAcceptedBy(member.UserId, owner.UserId, Build.Now.AddDays(6)));
        Assert.False(transfer.MayBeAcceptedBy(owner.UserId, owner.UserId, Build.Now), "not the chosen user");
        Assert.False(transfer.MayBeAcceptedBy(member.UserId, member.UserId, Build.Now), "the maker no longer owns the account");
        Assert.False(transfer.MayBeAcceptedBy(member.UserId, owner.UserId, Build.Now.AddDays(7)), "expired");
    }

    [Fact]
    public void A_cancelled_or_expired_offer_is_dead_and_cannot_be_cancelled_again()
    {
        var (client, owner, member) = Build.AccountWithMember(Permission.Tickets);
        var transfer = OwnershipTransfer.Offer(client, member, "hash", Build.Now);

        transfer.Cancel(Build.Now.AddHours(1));

        Assert.Equal(OwnershipTransferStatus.Cancelled, transfer.Status);
        Assert.False(transfer.IsPending(Build.Now.AddHours(1)));
        Assert.False(transfer.MayBeAcceptedBy(member.UserId, owner.UserId, Build.Now.AddHours(2)));
        Assert.Throws<InvalidOperationException>(() => transfer.Cancel(Build.Now.AddHours(2)));
        var expired = OwnershipTransfer.Offer(client, member, "hash-2", Build.Now);
        Assert.Throws<InvalidOperationException>(() => expired.Cancel(Build.Now.AddDays(8)));
    }
}
