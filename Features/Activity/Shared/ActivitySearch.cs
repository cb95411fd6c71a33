using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Portal.Infrastructure.Data;
using Portal.Features.Activity;

namespace Portal.Features.Activity;

/// <summary>
/// Text search over activity descriptions, the same for every page whatever the database: each word or "quoted
/// phrase" typed must appear in the description, in any case; nothing typed is ever read as query syntax.
/// </summary>
public interface IActivitySearch
{
    /// <summary>Every entry of <paramref name="entries"/> whose description contains every term of <paramref name="text"/> (for exports, read to the end).</summary>
    IQueryable<ActivityLogEntry> Matching(IQueryable<ActivityLogEntry> entries, string? text);

    /// <summary>How pages of the log are read for <paramref name="text"/>: see <see cref="ActivitySearchPlan"/>.</summary>
    Task<ActivitySearchPlan> PlanAsync(string? text, CancellationToken cancellationToken);
}

/// <summary>
/// How to read a page of the log for one search. <see cref="Source"/> is the whole log, or only the few entries the
/// full-text index matched; <see cref="Match"/> keeps the entries that match. With a <see cref="Window"/>, the
/// condition is checked entry by entry and a page reads at most that many entries, so a search costs the same however
/// rare its matches are (see <see cref="ActivityPaging.ReadPageAsync{T}"/>).
/// </summary>
public sealed record ActivitySearchPlan(
    IQueryable<ActivityLogEntry> Source,
    Func<IQueryable<ActivityLogEntry>, IQueryable<ActivityLogEntry>> Match,
    int? Window)
{
    /// <summary>Every entry of <paramref name="log"/> that <paramref name="match"/> keeps, read through the indexes in one go.</summary>
    public static ActivitySearchPlan Whole(IQueryable<ActivityLogEntry> log, Func<IQueryable<ActivityLogEntry>, IQueryable<ActivityLogEntry>> match) =>
        new(log, match, null);
}

/// <summary>
/// Where a search stops trusting the full-text index: past <see cref="IndexedMatches"/> matches over the whole log a
/// term is common enough to be found faster by reading the filtered entries newest first, at most
/// <see cref="RowsPerPage"/> of them a page. Configured under <c>ActivitySearch</c>.
/// </summary>
public sealed class ActivitySearchLimits
{
    public int IndexedMatches { get; set; } = 1_000;

    public int RowsPerPage { get; set; } = 2_000;
}

/// <summary>
/// SQLite. A term of three characters or more is first looked up in the FTS5 trigram index over the whole log: when
/// it matches few entries, the page reads only those, each by its key. A common term (a phrase in every tenth entry,
/// say) is cheap to find among the newest entries but costly to collect across a million, so then the page reads the
/// filtered entries newest first and checks each, a window at a time. Shorter terms are always checked entry by entry.
/// </summary>
internal sealed class SqliteActivitySearch(PortalDbContext db, ActivitySearchLimits limits, IMemoryCache verdicts) : IActivitySearch
{
    /// <summary>
    /// How long a term found common is taken to be common without asking the index again: someone paging through its
    /// matches would otherwise pay for the same look-up on every page. Only the choice of plan is remembered, never a
    /// match; a term can only grow more common as the log grows, and a stale verdict costs speed, not results.
    /// </summary>
    public static readonly TimeSpan CommonTermMemory = TimeSpan.FromMinutes(1);

    public IQueryable<ActivityLogEntry> Matching(IQueryable<ActivityLogEntry> entries, string? text)
    {
        var terms = SearchTerms.Parse(text);
        if (FullTextIndexes.RowIds<long>(db, FullTextIndexes.Activity, terms) is { } ids)
        {
            entries = entries.Where(e => ids.Contains(e.Id));
        }

        return ShortTerms.Containing(entries, terms.Short);
    }

    public async Task<ActivitySearchPlan> PlanAsync(string? text, CancellationToken cancellationToken)
    {
        var log = db.ActivityLog.AsNoTracking();
        var terms = SearchTerms.Parse(text);
        if (terms.IsEmpty)
        {
            return ActivitySearchPlan.Whole(log, entries => entries);
        }

        IQueryable<ActivityLogEntry> Match(IQueryable<ActivityLogEntry> entries) => ShortTerms.Containing(Containing(entries, terms.Indexed), terms.Short);
        if (await FewMatchesAsync(terms, cancellationToken) is { } ids)
        {
            // CROSS JOIN makes SQLite read the matched keys first and look each entry up; left to itself, it would
            // rather walk every entry of a filter's index (all of a busy account's) testing each against the list.
            var matched = db.ActivityLog.FromSqlRaw(
                "SELECT a.* FROM json_each({0}) AS j CROSS JOIN \"ActivityLog\" AS a ON a.\"Id\" = j.value", JsonSerializer.Serialize(ids));
            return ActivitySearchPlan.Whole(matched.AsNoTracking(), Match);
        }

        return new ActivitySearchPlan(log, Match, Math.Max(1, limits.RowsPerPage));
    }

    /// <summary>
    /// The ids of the entries that may match, when the index finds few: first looked up by the narrowed terms (cheap,
    /// usually as few), then by the whole terms when the narrowed ones are common. Null when the terms are common
    /// (or none is long enough for the index). The entries are checked against the whole terms afterwards.
    /// </summary>
    private async Task<List<long>?> FewMatchesAsync(SearchTerms terms, CancellationToken cancellationToken)
    {
        if (terms.FullTextQuery is not { } whole || verdicts.TryGetValue((typeof(SqliteActivitySearch), whole), out _))
        {
            return null;
        }

        var few = Math.Max(0, limits.IndexedMatches);
        var narrowed = terms.Narrowed();
        foreach (var lookup in narrowed.FullTextQuery == whole ? [terms] : new[] { narrowed, terms })
        {
            var ids = await FullTextIndexes.RowIds<long>(db, FullTextIndexes.Activity, lookup)!.Take(few + 1).ToListAsync(cancellationToken);
            if (ids.Count <= few)
            {
                return ids;
            }
        }

        verdicts.Set((typeof(SqliteActivitySearch), whole), true, CommonTermMemory);
        return null;
    }

    /// <summary>
    /// The full-text index's matching, entry by entry: LIKE folds ASCII case, which is the whole answer for a
    /// description of printable ASCII; any other is folded like the index folds it (<see cref="FoldedText"/>).
    /// </summary>
    private static IQueryable<ActivityLogEntry> Containing(IQueryable<ActivityLogEntry> entries, IEnumerable<string> terms)
    {
        foreach (var term in terms)
        {
            var folded = FoldedText.Fold(term.Trim());
            var pattern = Search.ContainsPattern(folded);
            entries = entries.Where(e => EF.Functions.Like(e.Description, pattern, Search.Escape)
                || (EF.Functions.Glob(e.Description, FoldedText.BeyondAsciiPattern) && FoldedText.Contains(e.Description, folded)));
        }

        return entries;
    }
}

/// <summary>
/// Terms too short for a trigram index (one or two characters), matched by a scan of the descriptions in lower case;
/// cheap only among entries already narrowed down, which is where the searches use it.
/// </summary>
internal static class ShortTerms
{
    internal static IQueryable<ActivityLogEntry> Containing(IQueryable<ActivityLogEntry> entries, IEnumerable<string> terms)
    {
        foreach (var term in terms)
        {
            var pattern = Search.ContainsPattern(term);
            entries = entries.Where(e => EF.Functions.Like(e.Description.ToLower(), pattern, Search.Escape));
        }

        return entries;
    }
}
