using Portal.Features.Support;

namespace Portal.Tests.Features.Support;

public sealed class BadgesTests
{
    private const int Owner = 1;
    private const int Member = 2;
    private const int Outsider = 3;

    private static readonly Badges.AccountFacts Account = new(
        Owner,
        new HashSet<int> { Owner, Member },
        new HashSet<string> { "CONTACT@EXAMPLE.COM", "MEMBER@EXAMPLE.COM", "OUTSIDER@EXAMPLE.COM" },
        new Dictionary<string, int> { ["OWNER@EXAMPLE.COM"] = Owner, ["MEMBER@EXAMPLE.COM"] = Member, ["OUTSIDER@EXAMPLE.COM"] = Outsider });

    private static Badge From(string email, int? userId = null, int? adminId = null) => Badges.For(new Badges.Writer(adminId, userId, email), Account);

    [Fact]
    public void A_reply_written_by_an_admin_is_Operator_whatever_the_address() =>
        Assert.Equal(Badge.Operator, From("OWNER@EXAMPLE.COM", adminId: 7));

    [Fact]
    public void The_current_owner_is_Owner_from_the_web_and_by_e_mail()
    {
        Assert.Equal(Badge.Owner, From("OLD-ADDRESS@EXAMPLE.COM", userId: Owner));
        Assert.Equal(Badge.Owner, From("OWNER@EXAMPLE.COM"));
    }

    [Fact]
    public void An_associated_user_is_Authorized_User() => Assert.Equal(Badge.AuthorizedUser, From("X@EXAMPLE.COM", userId: Member));

    [Fact]
    public void A_user_of_the_portal_not_associated_with_the_account_is_Registered_User() =>
        Assert.Equal(Badge.RegisteredUser, From("OUTSIDER@EXAMPLE.COM"));

    [Fact]
    public void An_address_in_the_contacts_is_Sub_account() => Assert.Equal(Badge.SubAccount, From("CONTACT@EXAMPLE.COM"));

    [Fact]
    public void Any_other_address_is_Guest() => Assert.Equal(Badge.Guest, From("STRANGER@EXAMPLE.COM"));

    [Fact]
    public void A_sender_who_is_both_a_contact_and_a_user_gets_the_earlier_rule()
    {
        Assert.Equal(Badge.AuthorizedUser, From("MEMBER@EXAMPLE.COM"));
        Assert.Equal(Badge.RegisteredUser, From("OUTSIDER@EXAMPLE.COM"));
    }

    [Fact]
    public void A_new_owner_relabels_the_old_owners_replies_and_their_own()
    {
        var afterTransfer = Account with { OwnerUserId = Member };

        Assert.Equal(Badge.AuthorizedUser, Badges.For(new Badges.Writer(null, Owner, "OWNER@EXAMPLE.COM"), afterTransfer));
        Assert.Equal(Badge.Owner, Badges.For(new Badges.Writer(null, Member, "MEMBER@EXAMPLE.COM"), afterTransfer));
    }

    [Fact]
    public void A_user_removed_from_the_account_becomes_Registered_User()
    {
        var afterRemoval = Account with { AssociatedUserIds = new HashSet<int> { Owner } };

        Assert.Equal(Badge.RegisteredUser, Badges.For(new Badges.Writer(null, Member, "MEMBER@EXAMPLE.COM"), afterRemoval));
    }

    [Fact]
    public void A_deleted_contact_becomes_Guest()
    {
        var afterDeletion = Account with { ContactEmails = new HashSet<string>() };

        Assert.Equal(Badge.Guest, Badges.For(new Badges.Writer(null, null, "CONTACT@EXAMPLE.COM"), afterDeletion));
    }

    [Fact]
    public void On_a_ticket_with_no_account_users_are_Registered_and_everyone_else_Guest()
    {
        var none = Badges.AccountFacts.None with { UsersByEmail = Account.UsersByEmail };

        Assert.Equal(Badge.RegisteredUser, Badges.For(new Badges.Writer(null, null, "OWNER@EXAMPLE.COM"), none));
        Assert.Equal(Badge.Guest, Badges.For(new Badges.Writer(null, null, "CONTACT@EXAMPLE.COM"), none));
    }

    [Theory]
    [InlineData(Badge.Operator, "Operator")]
    [InlineData(Badge.Owner, "Owner")]
    [InlineData(Badge.AuthorizedUser, "Authorized User")]
    [InlineData(Badge.RegisteredUser, "Registered User")]
    [InlineData(Badge.SubAccount, "Sub-account")]
    [InlineData(Badge.Guest, "Guest")]
    public void Each_badge_reads_as_the_spec_names_it(Badge badge, string label) => Assert.Equal(label, badge.Label());
}
