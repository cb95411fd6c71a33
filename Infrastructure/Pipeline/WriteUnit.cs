using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Pipeline;

/// <summary>
/// The one way a command reads and writes as one: <see cref="RunAsync{T}"/> opens a transaction, runs the work, and
/// commits; any exception rolls it all back. There is no lock shared by unrelated work: on SQLite the transaction holds
/// the database's single write lock (taken at BEGIN IMMEDIATE, after its turn at <see cref="SqliteWriteGate"/>); on
/// PostgreSQL it holds only what the work asks for, row locks on the aggregate it changes
/// (<see cref="RowLocks.LockAsync{TEntity}"/>), a lock on one rule's value (<see cref="RowLocks.LockValueAsync"/>), and
/// the rows it writes, checked by unique indexes and concurrency tokens.
/// <para>
/// Contention is not an error. When the database says the write lost a race (busy, deadlock, serialization failure, a
/// row lock not granted in time, a unique key another writer just took, a concurrency token that moved) the unit rolls
/// back, forgets every tracked entity and runs the work again, up to <see cref="Attempts"/> times, so the work's own
/// checks see what the other writer committed; after that it throws <see cref="BusyException"/>, which a page answers
/// with its form, <see cref="BusyException.UserMessage"/>, 503 and <c>Retry-After</c>. The work may therefore run more
/// than once: it loads what it changes inside, and leaves slow or outside effects (hashing a password, Data Protection,
/// signing in, anything over the network) to before or after the unit, never inside, because the lock is held for as long
/// as the work runs. A unit opened while another is open joins it (and retrying is then the outer unit's job).
/// </para>
/// </summary>
public sealed class WriteUnit(PortalDbContext db, WriteLockMonitor monitor, SqliteWriteGate? gate = null)
{
    /// <summary>How many times a unit runs its work before it answers busy.</summary>
    public const int Attempts = 4;

    private static readonly AsyncLocal<Running?> Current = new();

    /// <summary>Whether the code running now is inside a write unit (holding its lock): slow work must not be.</summary>
    public static bool IsHeld => Current.Value is not null;

    /// <summary>The name of the unit the code running now is inside, if any.</summary>
    public static string? HeldBy => Current.Value?.Name;

    /// <summary>Which attempt of its unit the code running now is part of (1 for the first), or 0 outside a unit.</summary>
    public static int Attempt => Current.Value?.Attempt ?? 0;

    /// <summary>The run of the unit the code running now is inside (the same object for each of its attempts), or null outside a unit.</summary>
    public static object? Run => Current.Value?.Run;

    private sealed record Running(string Name, int Attempt, object Run);

    public async Task RunAsync(string name, Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        await RunAsync<bool>(name, async ct =>
        {
            await work(ct);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction, again when it loses a race, and commits. <paramref name="name"/>
    /// names the unit in the lock-hold figures (<see cref="WriteLockMonitor"/>).
    /// </summary>
    public async Task<T> RunAsync<T>(string name, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken, WriteUnitKind kind = WriteUnitKind.Request)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return await work(cancellationToken);
        }

        var postgres = db.Database.IsNpgsql();
        var run = new object();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AttemptAsync(name, run, attempt, kind, work, postgres, cancellationToken);
            }
            catch (BusyDatabaseException e)
            {
                // The turn was not given within the whole wait: waiting again would only make the answer later.
                db.ChangeTracker.Clear();
                throw new BusyException(name, e);
            }
            catch (Exception e) when (Contention.IsBusy(e) || Contention.LostRace(e, postgres))
            {
                db.ChangeTracker.Clear();
                if (attempt == Attempts)
                {
                    throw new BusyException(name, e);
                }

                // A short pause, growing and jittered, so that the writers that met here do not meet again at once.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20) * attempt), cancellationToken);
            }
        }
    }

    private async Task<T> AttemptAsync<T>(string name, object run, int attempt, WriteUnitKind kind, Func<CancellationToken, Task<T>> work, bool postgres, CancellationToken cancellationToken)
    {
        // What was read before the unit may be out of date by now: the work reads what it decides on again, inside.
        if (!db.ChangeTracker.HasChanges())
        {
            db.ChangeTracker.Clear();
        }

        using var turn = gate is null ? null : await gate.EnterAsync(db, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        using var hold = monitor.Holding(name, postgres ? "Postgres" : "Sqlite", kind);
        var outer = Current.Value;
        Current.Value = new Running(name, attempt, run);
        try
        {
            var result = await work(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            hold.Done();
            return result;
        }
        finally
        {
            Current.Value = outer;
        }
    }
}

/// <summary>
/// A write could not get its turn (or kept losing races) within its retries: nothing was written. Pages answer with the
/// form again, <see cref="UserMessage"/>, status 503 and <c>Retry-After</c>; the command line exits 75 (try again later).
/// </summary>
public sealed class BusyException(string command, Exception? cause = null)
    : Exception($"{command} could not get its turn to write: the service is busy.", cause)
{
    /// <summary>What the user reads above the form.</summary>
    public const string UserMessage = "The service is busy, please try again.";

    /// <summary>Seconds a client is asked to wait before trying again.</summary>
    public const int RetryAfterSeconds = 5;
}
