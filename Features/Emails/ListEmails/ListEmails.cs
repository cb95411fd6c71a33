using System.Globalization;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Emails.ListEmails;

/// <summary>The e-mail history (permission emails): every e-mail sent about the active account, from the outbox, newest first.</summary>
public static class ListEmails
{
    public sealed record Query(int ClientId, PageRequest Page) : IQuery<KeysetPage<Row>>;

    public sealed record Row(long Id, string To, string Subject, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, KeysetPage<Row>>
    {
        public async ValueTask<KeysetPage<Row>> Handle(Query query, CancellationToken cancellationToken)
        {
            var mails = db.EmailMessages.AsNoTracking().Where(m => m.ClientId == query.ClientId);

            // Newest first by id, read from the key in the link: a deep page costs what the first does.
            return await Keyset.ReadAsync(
                query.Page,
                Paging.DefaultPageSize,
                key => Project((key is { } id ? mails.Where(m => m.Id < id) : mails).OrderByDescending(m => m.Id)),
                key => Project(mails.Where(m => m.Id > key).OrderBy(m => m.Id)),
                LongKey,
                row => row.Id.ToString(CultureInfo.InvariantCulture),
                await mails.CountUpToLimitAsync(cancellationToken),
                cancellationToken);
        }

        private static long? LongKey(string? text) =>
            long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

        private static IQueryable<Row> Project(IQueryable<EmailMessage> mails) =>
            mails.Select(m => new Row(m.Id, m.To, m.Subject, m.CreatedAt, m.SentAt));
    }
}
