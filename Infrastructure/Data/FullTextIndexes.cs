using Microsoft.EntityFrameworkCore;

namespace Portal.Infrastructure.Data;

/// <summary>
/// SQLite's full-text indexes: FTS5 tables over the activity log's descriptions and over users' and clients' names,
/// companies and e-mail addresses. They hold no copy of the text (external content); triggers on the indexed tables
/// keep them in step with every insert, update and delete, whichever code path writes. The trigram tokenizer makes
/// every search a case- and accent-insensitive substring search served by the index.
/// </summary>
/// <remarks>
/// A migration that rebuilds one of the indexed tables (SQLite's way of altering a column) drops its triggers with
/// it: such a migration must call <see cref="Create"/> for that index again. The search tests fail if it does not.
/// </remarks>
public static class FullTextIndexes
{
    public const string Activity = "ActivityLogSearch";
    public const string Users = "UserSearch";
    public const string Clients = "ClientSearch";

    private sealed record Index(string Name, string Table, string[] Columns);

    private static readonly Index[] All =
    [
        new(Activity, "ActivityLog", ["Description"]),
        new(Users, "AspNetUsers", ["FirstName", "LastName", "Email"]),
        new(Clients, "Clients", ["FirstName", "LastName", "CompanyName", "Email"]),
    ];

    /// <summary>
    /// The ids of the rows whose indexed text contains every term of <paramref name="terms"/> long enough for the index,
    /// or null when no term is: the caller then filters by the short terms alone.
    /// </summary>
    public static IQueryable<TId>? RowIds<TId>(PortalDbContext db, string index, SearchTerms terms)
    {
        if (terms.FullTextQuery is not { } match)
        {
            return null;
        }

        // The table name is one of the constants above, never input; the query itself is a parameter.
        var name = All.SingleOrDefault(i => i.Name == index)?.Name
            ?? throw new ArgumentOutOfRangeException(nameof(index), index, "Not a full-text index.");
        var sql = "SELECT rowid AS Value FROM " + name + " WHERE " + name + " MATCH {0}";
        return db.Database.SqlQueryRaw<TId>(sql, match);
    }

    /// <summary>The statements that create every index, its triggers, and fill it from the rows already there.</summary>
    public static IEnumerable<string> Create() => All.SelectMany(Create);

    public static IEnumerable<string> Drop() => All.SelectMany(index => new[]
    {
        $"DROP TRIGGER IF EXISTS {index.Name}_Insert;",
        $"DROP TRIGGER IF EXISTS {index.Name}_Delete;",
        $"DROP TRIGGER IF EXISTS {index.Name}_Update;",
        $"DROP TABLE IF EXISTS {index.Name};",
    });

    private static IEnumerable<string> Create(Index index)
    {
        var columns = string.Join(", ", index.Columns);
        var newValues = string.Join(", ", index.Columns.Select(c => "new." + c));
        var oldValues = string.Join(", ", index.Columns.Select(c => "old." + c));
        var remove = $"INSERT INTO {index.Name}({index.Name}, rowid, {columns}) VALUES ('delete', old.Id, {oldValues});";
        var add = $"INSERT INTO {index.Name}(rowid, {columns}) VALUES (new.Id, {newValues});";
        return
        [
            $"CREATE VIRTUAL TABLE {index.Name} USING fts5({columns}, content='{index.Table}', content_rowid='Id', tokenize='trigram remove_diacritics 1');",
            $"CREATE TRIGGER {index.Name}_Insert AFTER INSERT ON {index.Table} BEGIN {add} END;",
            $"CREATE TRIGGER {index.Name}_Delete AFTER DELETE ON {index.Table} BEGIN {remove} END;",
            $"CREATE TRIGGER {index.Name}_Update AFTER UPDATE OF {columns} ON {index.Table} BEGIN {remove} {add} END;",
            $"INSERT INTO {index.Name}({index.Name}) VALUES ('rebuild');",
        ];
    }
}
