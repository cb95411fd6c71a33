using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Portal.Infrastructure.Data;

/// <summary>
/// What the database answers when concurrent writers meet, as opposed to a real error. A write unit that meets one of
/// these is run again from the start (<see cref="Pipeline.WriteUnit"/>), and a page answers "busy" (503) rather than 500
/// when it still cannot get through.
/// </summary>
public static class Contention
{
    /// <summary>SQLite: another connection holds the write lock (SQLITE_BUSY) or a table lock (SQLITE_LOCKED).</summary>
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>
    /// The database could not give the write its turn: SQLite's lock is held past the busy timeout; PostgreSQL refused a
    /// serializable transaction (40001), broke a deadlock (40P01) or gave up waiting for a row lock (55P03,
    /// <c>lock_timeout</c>). Trying again later succeeds.
    /// </summary>
    public static bool IsBusy(Exception exception) =>
        Chain(exception).Any(e => e is BusyDatabaseException
            || e is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked }
            || e is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable });

    /// <summary>
    /// A concurrent write that committed first changed what this write had read: on PostgreSQL a unique or foreign key
    /// constraint refused the row (another transaction inserted the same key, or deleted the row referred to), and on
    /// either database an optimistic concurrency token no longer matched. The handler's own checks, run again, see the
    /// committed state and answer as they should (a refusal, not found, or the work done).
    /// </summary>
    public static bool LostRace(Exception exception, bool postgres) =>
        Chain(exception).Any(e => e is DbUpdateConcurrencyException
            || (postgres && e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ForeignKeyViolation }));

    /// <summary>A unique index refused the row: the key is taken (a handler that expects this answers it as a refusal).</summary>
    public static bool IsUniqueViolation(Exception exception) =>
        Chain(exception).Any(e => e is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 }
            || e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation });

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}

/// <summary>The write waited its bounded time for the database's write lock (SQLite) and did not get it.</summary>
public sealed class BusyDatabaseException(string message) : Exception(message);
