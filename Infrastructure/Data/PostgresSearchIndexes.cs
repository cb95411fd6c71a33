namespace Portal.Infrastructure.Data;

/// <summary>
/// PostgreSQL's search indexes, the counterpart of SQLite's <see cref="FullTextIndexes"/>: a trigram GIN index
/// (<c>pg_trgm</c>) over the case- and accent-folded text of the activity log's descriptions, of users' names and
/// e-mail addresses and of clients' names, companies and e-mail addresses. The server keeps them in step with every
/// write; a <c>LIKE '%term%'</c> on the same folded text is served by them.
/// </summary>
/// <remarks>
/// A row's searchable columns are folded as one text, joined by a line break: no search term holds a control
/// character (<see cref="SearchTerms"/>), so a term never matches across two columns. A query is served by an index
/// only when it names the very expression the index was built on, so both come from the constants below.
/// </remarks>
public static class PostgresSearchIndexes
{
    /// <summary>Lower case without accents; immutable (the dictionary is named), so that an index can be built on it.</summary>
    public const string Fold = "portal_fold";

    public const string ActivityText = Fold + "(\"Description\")";

    public const string UserText = Fold + "(\"FirstName\" || E'\\n' || \"LastName\" || E'\\n' || coalesce(\"Email\", ''))";

    public const string ClientText =
        Fold + "(\"FirstName\" || E'\\n' || \"LastName\" || E'\\n' || coalesce(\"CompanyName\", '') || E'\\n' || \"Email\")";

    /// <summary>The statements that create the extensions, the folding function and the three indexes.</summary>
    public static IEnumerable<string> Create() =>
    [
        // Both extensions are trusted (PostgreSQL 13 and later): the database's owner may create them.
        "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;",
        "CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;",
        $"CREATE OR REPLACE FUNCTION {Fold}(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
            + "AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;",
        $"CREATE INDEX \"IX_ActivityLog_Search\" ON \"ActivityLog\" USING gin ({ActivityText} public.gin_trgm_ops);",
        $"CREATE INDEX \"IX_AspNetUsers_Search\" ON \"AspNetUsers\" USING gin ({UserText} public.gin_trgm_ops);",
        $"CREATE INDEX \"IX_Clients_Search\" ON \"Clients\" USING gin ({ClientText} public.gin_trgm_ops);",
    ];

    public static IEnumerable<string> Drop() =>
    [
        "DROP INDEX IF EXISTS \"IX_Clients_Search\";",
        "DROP INDEX IF EXISTS \"IX_AspNetUsers_Search\";",
        "DROP INDEX IF EXISTS \"IX_ActivityLog_Search\";",
        $"DROP FUNCTION IF EXISTS {Fold}(text);",
    ];

    /// <summary>
    /// The ids of the rows of <paramref name="table"/> whose folded <paramref name="text"/> contains every one of
    /// <paramref name="terms"/>, as a query to compose into a LINQ filter (<c>ids.Contains(row.Id)</c>).
    /// </summary>
    internal static FormattableString Matching(string table, string text, IReadOnlyList<string> terms)
    {
        var conditions = terms.Select((_, i) => $"{text} LIKE {Fold}({{{i}}}) ESCAPE '\\'");
        var sql = $"SELECT \"Id\" AS \"Value\" FROM \"{table}\" WHERE {string.Join(" AND ", conditions)}";
        return System.Runtime.CompilerServices.FormattableStringFactory.Create(sql, [.. terms.Select(t => (object)Search.ContainsPattern(t))]);
    }
}
