using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Support;

/// <summary>The e-mail history (permission emails): every e-mail sent about the active account, from the outbox, newest first.</summary>
public static class ListEmails
{
    public sealed record Query(int ClientId, PageRequest Page) : IQuery<KeysetPage<Row>>;

    public sealed record Row(long Id, string To, string Subject, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, KeysetPage<Row>>
    {
        public async ValueTask<KeysetPage<Row>> Handle(Query query, CancellationToken cancellationToken) =>
            await db.EmailMessages.AsNoTracking().Where(m => m.ClientId == query.ClientId).ReadNewestFirstAsync(
                m => m.Id, m => new Row(m.Id, m.To, m.Subject, m.CreatedAt, m.SentAt), row => row.Id, query.Page, cancellationToken);
    }
}
