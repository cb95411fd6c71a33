using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;

namespace Portal.Features.Support;

/// <summary>
/// One e-mail of the active account's history, as it was sent (its text version). An e-mail whose links were secrets
/// for its recipient is shown with them removed. The text of a support ticket's e-mail (a staff answer, an
/// acknowledgement) is shown only to a viewer who may also read the account's tickets: the emails permission lists
/// the mail, but must not open the tickets that the tickets permission guards. Another account's e-mail is not found.
/// </summary>
public static class ViewEmail
{
    public sealed record Query(int ClientId, long Id, bool MayReadTickets = true) : IQuery<Email?>;

    public sealed record Email(long Id, string To, string Subject, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, string Text, bool LinksRemoved, bool TextWithheld = false);

    /// <summary>The kinds (template names) of the e-mails about support tickets.</summary>
    public static readonly IReadOnlySet<string> TicketKinds = new HashSet<string>(
        new[] { typeof(TicketOpenedMail), typeof(TicketAnsweredMail), typeof(GuestTicketMail) }.Select(Outbox.KindOf));

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, Email?>
    {
        public async ValueTask<Email?> Handle(Query query, CancellationToken cancellationToken)
        {
            var message = await db.EmailMessages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == query.Id && m.ClientId == query.ClientId, cancellationToken);
            if (message is null)
            {
                return null;
            }

            var withheld = !query.MayReadTickets && TicketKinds.Contains(message.Kind);
            return new Email(message.Id, message.To, message.Subject, message.CreatedAt, message.SentAt, withheld ? "" : message.HistoryText, message.HoldsSecretLink && !withheld, withheld);
        }
    }
}
