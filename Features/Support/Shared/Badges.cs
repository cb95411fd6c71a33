using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;

namespace Portal.Features.Support;

/// <summary>The badge on a ticket reply in the admin area, in this order: the first rule that holds wins (BadgesTests pins each rule and the order).</summary>
public enum Badge
{
    Operator,
    Owner,
    AuthorizedUser,
    RegisteredUser,
    SubAccount,
    Guest,
}

/// <summary>
/// Who the writer of a reply is to the ticket's current account. Badges are computed each time a page is shown, from
/// the reply's sender (admin, user, or only an address) and the account as it is now, and never stored: a change of
/// owner, a removed user or a deleted contact relabels past replies.
/// </summary>
public static class Badges
{
    /// <summary>What a reply says about its writer. An address typed into the guest form never stands for a user.</summary>
    public sealed record Writer(int? AdminId, int? UserId, string NormalizedEmail, ReplyChannel Channel = ReplyChannel.Web);

    /// <summary>
    /// The ticket's current account as the badges read it: its owner, its associated users, its confirmed contacts'
    /// addresses, and the portal's users by login address (a mailed reply is a user's when it comes from
    /// their login address; whether the mail was authenticated is shown beside the badge).
    /// </summary>
    public sealed record AccountFacts(
        int? OwnerUserId, IReadOnlySet<int> AssociatedUserIds, IReadOnlySet<string> ContactEmails, IReadOnlyDictionary<string, int> UsersByEmail)
    {
        public static AccountFacts None { get; } = new(null, new HashSet<int>(), new HashSet<string>(), new Dictionary<string, int>());
    }

    public static Badge For(Writer writer, AccountFacts account)
    {
        if (writer.AdminId is not null)
        {
            return Badge.Operator;
        }

        if (writer.Channel == ReplyChannel.GuestForm && writer.UserId is null)
        {
            return Badge.Guest;
        }

        var userId = writer.UserId ?? (account.UsersByEmail.TryGetValue(writer.NormalizedEmail, out var byEmail) ? byEmail : null);
        if (userId is { } user)
        {
            return user == account.OwnerUserId ? Badge.Owner
                : account.AssociatedUserIds.Contains(user) ? Badge.AuthorizedUser
                : Badge.RegisteredUser;
        }

        return account.ContactEmails.Contains(writer.NormalizedEmail) ? Badge.SubAccount : Badge.Guest;
    }

    public static string Label(this Badge badge) => badge switch
    {
        Badge.Operator => "Operator",
        Badge.Owner => "Owner",
        Badge.AuthorizedUser => "Authorized User",
        Badge.RegisteredUser => "Registered User",
        Badge.SubAccount => "Sub-account",
        _ => "Guest",
    };

    /// <summary>Bootstrap colour of each badge, so staff tell them apart at a glance.</summary>
    public static string CssClass(this Badge badge) => badge switch
    {
        Badge.Operator => "text-bg-dark",
        Badge.Owner => "text-bg-primary",
        Badge.AuthorizedUser => "text-bg-info",
        Badge.RegisteredUser => "text-bg-secondary",
        Badge.SubAccount => "text-bg-success",
        _ => "text-bg-warning",
    };

    /// <summary>Reads the facts of <paramref name="clientId"/> (none for a ticket without an account) for these senders.</summary>
    public static async Task<AccountFacts> LoadAsync(PortalDbContext db, int? clientId, IEnumerable<string> normalizedSenderEmails, CancellationToken cancellationToken)
    {
        var emails = normalizedSenderEmails.Where(e => e.Length > 0).Distinct().ToList();
        var usersByEmail = await db.Users.AsNoTracking()
            .Where(u => u.NormalizedEmail != null && emails.Contains(u.NormalizedEmail))
            .Select(u => new { u.NormalizedEmail, u.Id })
            .ToDictionaryAsync(u => u.NormalizedEmail!, u => u.Id, cancellationToken);
        if (clientId is not { } id)
        {
            return AccountFacts.None with { UsersByEmail = usersByEmail };
        }

        var owner = await db.Clients.AsNoTracking().Where(c => c.Id == id).Select(c => (int?)c.OwnerUserId).SingleOrDefaultAsync(cancellationToken);
        var associated = await db.ClientUsers.AsNoTracking().Where(cu => cu.ClientId == id).Select(cu => cu.UserId).ToListAsync(cancellationToken);
        var contacts = await db.Contacts.AsNoTracking().Where(c => c.ClientId == id && c.ConfirmedAt != null && emails.Contains(c.NormalizedEmail)).Select(c => c.NormalizedEmail).ToListAsync(cancellationToken);
        return new AccountFacts(owner, associated.ToHashSet(), contacts.ToHashSet(), usersByEmail);
    }

    public static Writer WriterOf(TicketReply reply) => new(reply.AdminId, reply.UserId, reply.NormalizedSenderEmail, reply.Channel);
}
