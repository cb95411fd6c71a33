using System.Runtime.CompilerServices;
using System.Text;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Dates;
using Portal.Infrastructure.Web;

namespace Portal.Features.Activity;

/// <summary>
/// The owner's view of their own account's activity log, newest first, filtered by text and dates (days in the reader's zone), and its CSV
/// export. Provider staff are never named to clients, and only the account's own users' entries show an IP address.
/// </summary>
public static class AccountActivity
{
    public const int PageSize = 50;
    public const int ExportLimit = 100_000;
    public const int MaxTextLength = SearchTerms.MaxLength;

    public sealed record Filter(string? Text, DateOnly? From, DateOnly? To);

    /// <summary>One page of the account's entries; the client id comes from the account context, never the request.</summary>
    public sealed record Query(int ClientId, Filter Filter, PageRequest Page) : IQuery<ActivityPage<Row>>;

    /// <summary>The newest <see cref="ExportLimit"/> entries matching the filter, as a CSV file written while it is read.</summary>
    public sealed record Export(int ClientId, Filter Filter) : IQuery<Csv>;

    public sealed record Row(long Id, DateTimeOffset At, string Description, string Who, string? IpAddress);

    /// <summary>The file's name and its lines, read from the database only as they are written to the response.</summary>
    public sealed record Csv(string FileName, IAsyncEnumerable<string> Lines);

    public const string ProviderStaff = "Provider staff";

    internal sealed class Handler(PortalDbContext db, IActivitySearch search, ViewerDates dates) : IQueryHandler<Query, ActivityPage<Row>>
    {
        public async ValueTask<ActivityPage<Row>> Handle(Query query, CancellationToken cancellationToken)
        {
            var plan = await search.PlanAsync(query.Filter.Text, cancellationToken);
            var page = await plan.ReadPageAsync(
                entries => Filtered(entries, query.ClientId, query.Filter, dates.In),
                entries => Project(db, entries),
                e => MomentKey.Of(e.At, e.Id),
                query.Page,
                PageSize,
                cancellationToken);
            var rows = page.Entries;
            return new ActivityPage<Row>(new KeysetPage<Row>([.. rows.Items.Select(ToRow)], rows.Newer, rows.Older, rows.Total), page.Window);
        }
    }

    internal sealed class ExportHandler(PortalDbContext db, IActivitySearch search, TimeProvider time, ViewerDates dates) : IQueryHandler<Export, Csv>
    {
        public ValueTask<Csv> Handle(Export query, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new Csv($"activity-{query.ClientId}-{time.GetUtcNow():yyyyMMdd}.csv", Lines(query, dates.In, cancellationToken)));

        private async IAsyncEnumerable<string> Lines(Export query, ZonedDates zoned, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            yield return CsvLine(zoned.Column("Date"), "Description", "Who", "IP address");
            var entries = Project(db, search.Matching(Filtered(db.ActivityLog.AsNoTracking(), query.ClientId, query.Filter, zoned), query.Filter.Text).OlderThan(null)).Take(ExportLimit);
            await foreach (var entry in entries.AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                var row = ToRow(entry);
                yield return CsvLine(zoned.Precise(row.At), row.Description, row.Who, row.IpAddress ?? "");
            }
        }
    }

    private static IQueryable<ActivityLogEntry> Filtered(IQueryable<ActivityLogEntry> entries, int clientId, Filter filter, ZonedDates dates) =>
        entries.Where(e => e.ClientId == clientId).Between(filter.From, filter.To, dates);

    private static IQueryable<Entry> Project(PortalDbContext db, IQueryable<ActivityLogEntry> entries) =>
        entries.Select(e => new Entry(
            e.Id,
            e.At,
            e.Description,
            e.UserId,
            db.Users.Where(u => u.Id == e.UserId).Select(u => u.Email).FirstOrDefault(),
            e.AdminId != null,
            e.IpAddress));

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
    internal static string CsvLine(params string[] cells)
    {
        var csv = new StringBuilder();
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
        return csv.ToString();
    }
}
