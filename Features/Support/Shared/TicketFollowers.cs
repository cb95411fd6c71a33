using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Features.Shared;

namespace Portal.Features.Support;

/// <summary>
/// Who hears of a staff answer: the ticket's requester, the account's users who opened or replied to it (while they
/// are still associated), and the account's contacts who asked for support e-mail and confirmed their address. Each address once.
/// </summary>
public static class TicketFollowers
{
    public sealed record Recipient(string Email, int? UserId);

    public static async Task<IReadOnlyList<Recipient>> ForAnswerAsync(PortalDbContext db, Ticket ticket, CancellationToken cancellationToken)
    {
        var recipients = new List<Recipient> { new(ticket.RequesterEmail, ticket.RequesterUserId) };
        if (ticket.ClientId is { } clientId)
        {
            var writers = await db.TicketReplies.AsNoTracking()
                .Where(r => r.TicketId == ticket.Id && r.UserId != null && !r.IsInternalNote)
                .Select(r => r.UserId!.Value).Distinct().ToListAsync(cancellationToken);
            if (ticket.RequesterUserId is { } requester)
            {
                writers.Add(requester);
            }

            recipients.AddRange(await db.ClientUsers.AsNoTracking()
                .Where(cu => cu.ClientId == clientId && writers.Contains(cu.UserId))
                .Select(cu => new Recipient(cu.User.Email!, cu.UserId)).ToListAsync(cancellationToken));
            recipients.AddRange(await db.Contacts.AsNoTracking()
                .Where(c => c.ClientId == clientId && c.ReceivesSupport && c.ConfirmedAt != null)
                .Select(c => new Recipient(c.Email, null)).ToListAsync(cancellationToken));
        }

        return recipients.Where(r => !string.IsNullOrWhiteSpace(r.Email))
            .DistinctBy(r => EmailAddress.Normalize(r.Email)).ToList();
    }
}
