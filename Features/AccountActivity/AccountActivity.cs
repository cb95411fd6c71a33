using System.Text;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Dates;
using Portal.Infrastructure.Web;

namespace Portal.Features.AccountActivity;

/// <summary>
/// The owner's view of their own account's activity log, newest first, filtered by text and UTC dates, and its CSV
/// export. Provider staff are never named to clients, and only the account's own users' entries show an IP address.
/// </summary>
public static class AccountActivity
{
    public const int PageSize = 50;
    public const int ExportLimit = 10_000;
    public const int MaxTextLength = 200;

    public sealed record Filter(string? Text, DateOnly? From, DateOnly? To);

    /// <summary>One page of the account's entries; the client id comes from the account context, never the request.</summary>
    public sealed record Query(int ClientId, Filter Filter, int Page) : IQuery<Paged<Row>>;

    /// <summary>The newest <see cref="ExportLimit"/> entries matching the filter, as a CSV file.</summary>
    public sealed record Export(int ClientId, Filter Filter) : IQuery<Csv>;

    public sealed record Row(long Id, DateTimeOffset At, string Description, string Who, string? IpAddress);

    public sealed record Csv(string FileName, byte[] Content);

    public const string ProviderStaff = "Provider staff";

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, Paged<Row>>
    {
        public async ValueTask<Paged<Row>> Handle(Query query, CancellationToken cancellationToken)
        {
            var page = await Entries(db, query.ClientId, query.Filter).ToPagedAsync(query.Page, PageSize, cancellationToken);
            return new Paged<Row>(page.Items.Select(ToRow).ToList(), page.Page, page.PageSize, page.Total);
        }
    }

    internal sealed class ExportHandler(PortalDbContext db, TimeProvider time, ViewerDates dates) : IQueryHandler<Export, Csv>
    {
        public async ValueTask<Csv> Handle(Export query, CancellationToken cancellationToken)
        {
            var rows = await Entries(db, query.ClientId, query.Filter).Take(ExportLimit).ToListAsync(cancellationToken);
            var csv = new StringBuilder();
            CsvLine(csv, dates.Column("Date"), "Description", "Who", "IP address");
            foreach (var row in rows.Select(ToRow))
            {
                CsvLine(csv, dates.Precise(row.At), row.Description, row.Who, row.IpAddress ?? "");
            }

            // The byte-order mark lets spreadsheet programs read the file as UTF-8 rather than the local code page.
            var content = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray();
            return new Csv($"activity-{query.ClientId}-{time.GetUtcNow():yyyyMMdd}.csv", content);
        }
    }

    private static IQueryable<Entry> Entries(PortalDbContext db, int clientId, Filter filter)
    {
        var text = filter.Text?.Trim();
        text = text is { Length: > MaxTextLength } ? text[..MaxTextLength] : text;
        var entries = db.ActivityLog.AsNoTracking().Where(e => e.ClientId == clientId).Matching(text, filter.From, filter.To);

        return entries
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Select(e => new Entry(
                e.Id,
                e.At,
                e.Description,
                e.UserId,
                db.Users.Where(u => u.Id == e.UserId).Select(u => u.Email).FirstOrDefault(),
                e.AdminId != null,
                e.IpAddress));
    }


    /// <summary>
    /// Staff stay anonymous to clients: no name, no id, no IP. An entry without user or admin but with an IP came
    /// from an anonymous visitor, whose address is not the account's to see either.
    /// </summary>
    private static Row ToRow(Entry e) =>
        e.ByStaff ? new Row(e.Id, e.At, e.Description, ProviderStaff, null)
        : e.UserId is not null ? new Row(e.Id, e.At, e.Description, e.UserEmail ?? "Deleted user", e.IpAddress)
        : new Row(e.Id, e.At, e.Description, e.IpAddress is null ? "System" : "Visitor", null);

    private sealed record Entry(long Id, DateTimeOffset At, string Description, int? UserId, string? UserEmail, bool ByStaff, string? IpAddress);

    /// <summary>
    /// One RFC 4180 record. A cell a spreadsheet would read as a formula gets a leading apostrophe, so an activity
    /// description typed by a user cannot run in the owner's spreadsheet.
    /// </summary>
    internal static void CsvLine(StringBuilder csv, params string[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            var cell = cells[i];
            if (cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            {
                cell = "'" + cell;
            }

            if (cell.IndexOfAny([',', '"', '\r', '\n']) >= 0)
            {
                cell = "\"" + cell.Replace("\"", "\"\"") + "\"";
            }

            csv.Append(cell);
        }

        csv.Append("\r\n");
    }
}
