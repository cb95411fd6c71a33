using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Features.Shared;
using Portal.Features.Membership;

namespace Portal.Features.Support;

/// <summary>
/// Who hears of a staff answer: the ticket's requester, the account's users who opened or replied to it, and the
/// account's contacts who asked for support e-mail and confirmed their address. Each address once. A user hears of it only while they hold the
/// tickets permission in the ticket's account (<see cref="PermissionHolders"/>), at their login's current address; a
/// guest always hears of their own guest ticket.
/// </summary>
public static class TicketFollowers
{
    public sealed record Recipient(string Email, int? UserId);

    public static async Task<IReadOnlyList<Recipient>> ForAnswerAsync(PortalDbContext db, Ticket ticket, CancellationToken cancellationToken)
    {
        var recipients = new List<Recipient>();
        if (ticket.RequesterUserId is null || ticket.ClientId is null)
        {
            recipients.Add(new(ticket.RequesterEmail, ticket.RequesterUserId));
        }

        if (ticket.ClientId is { } clientId)
        {
            var writers = await db.TicketReplies.AsNoTracking()
                .Where(r => r.TicketId == ticket.Id && r.UserId != null && !r.IsInternalNote)
                .Select(r => r.UserId!.Value).Distinct().ToListAsync(cancellationToken);
            if (ticket.RequesterUserId is { } requester)
            {
                writers.Insert(0, requester);
            }

            recipients.AddRange((await PermissionHolders.AmongAsync(db, clientId, Permission.Tickets, writers, cancellationToken))
                .Select(h => new Recipient(h.Email, h.UserId)));
            recipients.AddRange(await db.Contacts.AsNoTracking()
                .Where(c => c.ClientId == clientId && c.ReceivesSupport && c.ConfirmedAt != null)
                .Select(c => new Recipient(c.Email, null)).ToListAsync(cancellationToken));
        }

        return recipients.Where(r => !string.IsNullOrWhiteSpace(r.Email))
            .DistinctBy(r => EmailAddress.Normalize(r.Email)).ToList();
    }
}
