using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Features.Support;

/// <summary>
/// One e-mail of the active account's history, as it was sent (its text version). An e-mail whose links were secrets
/// for its recipient is shown with them removed. Another account's e-mail is not found.
/// </summary>
public static class ViewEmail
{
    public sealed record Query(int ClientId, long Id) : IQuery<Email?>;

    public sealed record Email(long Id, string To, string Subject, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, string Text, bool LinksRemoved);

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, Email?>
    {
        public async ValueTask<Email?> Handle(Query query, CancellationToken cancellationToken)
        {
            var message = await db.EmailMessages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == query.Id && m.ClientId == query.ClientId, cancellationToken);
            return message is null
                ? null
                : new Email(message.Id, message.To, message.Subject, message.CreatedAt, message.SentAt, message.HistoryText, message.HoldsSecretLink);
        }
    }
}
