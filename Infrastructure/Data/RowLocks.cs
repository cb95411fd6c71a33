using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Portal.Infrastructure.Data;

/// <summary>
/// The locks a write unit (<see cref="Pipeline.WriteUnit"/>) takes for the rule it keeps, held until it commits or rolls
/// back. On PostgreSQL they are what keeps two writers of the same aggregate apart, and nothing else: a write in one client
/// account never waits for a write in another. On SQLite the unit already holds the database's only write lock, so they
/// only say whether the row exists. The convention: a command that changes what belongs to a client account (its users
/// and invitations, orders, invoices and services, contacts, profile) locks that account's row first, and a command that
/// changes a login locks the user's row, before it reads what it decides on.
/// </summary>
public static class RowLocks
{
    /// <summary>
    /// Locks the row of <typeparamref name="TEntity"/> whose key is <paramref name="id"/> and answers whether it exists.
    /// Take it before reading what the decision depends on: every read after it sees what the writer before it committed.
    /// The lock (<c>FOR NO KEY UPDATE</c>) keeps out other writers of the aggregate, not writers that only add rows
    /// referring to it (a new association of the user, an order of the account).
    /// </summary>
    public static Task<bool> LockAsync<TEntity>(this PortalDbContext db, int id, CancellationToken cancellationToken)
        where TEntity : class =>
        LockAsync<TEntity>(db, id, "FOR NO KEY UPDATE", cancellationToken);

    /// <summary>
    /// Locks the row of <typeparamref name="TEntity"/> to delete it (<c>FOR UPDATE</c>): this also waits for writers
    /// still adding rows that refer to it, so that the check after it ("no association left") sees them.
    /// </summary>
    public static Task<bool> LockToDeleteAsync<TEntity>(this PortalDbContext db, int id, CancellationToken cancellationToken)
        where TEntity : class =>
        LockAsync<TEntity>(db, id, "FOR UPDATE", cancellationToken);

    private static async Task<bool> LockAsync<TEntity>(PortalDbContext db, int id, string strength, CancellationToken cancellationToken)
        where TEntity : class
    {
        RequireUnit(db);
        var entity = db.Model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        var key = entity.FindPrimaryKey()?.Properties.Single() ?? throw new InvalidOperationException($"{typeof(TEntity).Name} has no single key.");
        if (!db.Database.IsNpgsql())
        {
            return await db.Set<TEntity>().AnyAsync(e => EF.Property<int>(e, key.Name) == id, cancellationToken);
        }

        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var name = entity.GetSchema() is { } schema ? $"\"{schema}\".\"{table.Name}\"" : $"\"{table.Name}\"";
        var sql = $"SELECT 1 AS \"Value\" FROM {name} WHERE \"{key.GetColumnName(table)}\" = {{0}} {strength}";
        return (await db.Database.SqlQueryRaw<int>(sql, id).ToListAsync(cancellationToken)).Count > 0;
    }

    /// <summary>
    /// Locks one value of one rule (<c>pg_advisory_xact_lock</c>) where there is no row to lock: the next invoice number,
    /// an e-mail address a client account may take. Two writers of the same value take turns; writers of other values, or
    /// of other rules, never wait for them.
    /// </summary>
    public static async Task LockValueAsync(this PortalDbContext db, string rule, string value, CancellationToken cancellationToken)
    {
        RequireUnit(db);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0}, {1})", [StableHash(rule), StableHash(value)], cancellationToken);
        }
    }

    private static void RequireUnit(PortalDbContext db)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A lock is held until its transaction ends: take it inside a write unit (ITransactional or WriteUnit.RunAsync).");
        }
    }

    /// <summary>FNV-1a over the UTF-8 bytes: the same number in every process and on every version (unlike string.GetHashCode).</summary>
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return unchecked((int)hash);
    }
}
