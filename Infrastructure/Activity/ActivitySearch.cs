using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Activity;

/// <summary>
/// Text search over activity descriptions, the same for every page whatever the database: each word or "quoted
/// phrase" typed must appear in the description, in any case; nothing typed is ever read as query syntax.
/// </summary>
public interface IActivitySearch
{
    /// <summary>The entries of <paramref name="entries"/> whose description contains every term of <paramref name="text"/>.</summary>
    IQueryable<ActivityLogEntry> Matching(IQueryable<ActivityLogEntry> entries, string? text);
}

/// <summary>SQLite: terms of three characters or more are looked up in the FTS5 trigram index, shorter ones scanned.</summary>
internal sealed class SqliteActivitySearch(PortalDbContext db) : IActivitySearch
{
    public IQueryable<ActivityLogEntry> Matching(IQueryable<ActivityLogEntry> entries, string? text)
    {
        var terms = SearchTerms.Parse(text);
        if (FullTextIndexes.RowIds<long>(db, FullTextIndexes.Activity, terms) is { } ids)
        {
            entries = entries.Where(e => ids.Contains(e.Id));
        }

        return ScanningActivitySearch.Containing(entries, terms.Short);
    }
}

/// <summary>
/// Any other database, until it has an index of its own: the same matching by a scan of the descriptions. Correct
/// at any size, fast only while the log is small.
/// </summary>
internal sealed class ScanningActivitySearch : IActivitySearch
{
    public IQueryable<ActivityLogEntry> Matching(IQueryable<ActivityLogEntry> entries, string? text) =>
        Containing(entries, SearchTerms.Parse(text).All);

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
