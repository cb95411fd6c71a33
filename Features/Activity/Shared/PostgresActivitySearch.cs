using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Features.Activity;

namespace Portal.Features.Activity;

/// <summary>
/// PostgreSQL: terms of three characters or more are looked up in the trigram index over the folded descriptions
/// (<see cref="PostgresSearchIndexes"/>), shorter ones scanned, as SQLite does with its FTS5 index.
/// </summary>
internal sealed class PostgresActivitySearch(PortalDbContext db) : IActivitySearch
{
    public IQueryable<ActivityLogEntry> Matching(IQueryable<ActivityLogEntry> entries, string? text)
    {
        var terms = SearchTerms.Parse(text);
        if (terms.Indexed.ToList() is { Count: > 0 } indexed)
        {
            var ids = db.Database.SqlQuery<long>(PostgresSearchIndexes.Matching("ActivityLog", PostgresSearchIndexes.ActivityText, indexed));
            entries = entries.Where(e => ids.Contains(e.Id));
        }

        return ShortTerms.Containing(entries, terms.Short);
    }

    /// <summary>PostgreSQL's planner weighs the trigram index against the filters' indexes itself: one plan, read in one go.</summary>
    public Task<ActivitySearchPlan> PlanAsync(string? text, CancellationToken cancellationToken) =>
        Task.FromResult(ActivitySearchPlan.Whole(db.ActivityLog.AsNoTracking(), entries => Matching(entries, text)));
}
