using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using Portal.Infrastructure.Pipeline;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// Makes the database answer a write unit the way it answers under contention, at a statement of the unit or at its
/// commit: on SQLite "database is locked" (SQLITE_BUSY) or "database table is locked" (SQLITE_LOCKED); on PostgreSQL
/// "could not obtain lock" (55P03, the busy timeout), a deadlock (40P01) or a serialization failure (40001).
/// <para>
/// In every test app of the suite, the first attempt of every write unit meets one such fault (<see cref="FirstAttempts"/>),
/// at its first or second statement or at its commit, so that every test that sends a transactional command also proves
/// it safe to run again: what the test then checks (one order, one log entry, one mail) holds after a retry. A request
/// with the <see cref="Header"/> header (or a call inside <see cref="AlwaysBusy"/>) meets a fault at every attempt: its
/// write units give up, and the page must answer 503 with nothing written.
/// </para>
/// </summary>
public sealed class DatabaseFaults(IHttpContextAccessor http) : DbCommandInterceptor
{
    public const string Header = "X-Test-Database-Busy";

    private static readonly AsyncLocal<bool> Busy = new();
    private static readonly AsyncLocal<TaskCompletionSource?> Pause = new();
    private static readonly AsyncLocal<TaskCompletionSource?> Paused = new();

    /// <summary>Transactional commands (write units, by name) that met a fault in this process, with how many.</summary>
    public static readonly ConcurrentDictionary<string, int> Faulted = new();

    /// <summary>Units that met a fault, by the <see cref="Header"/> value of their request.</summary>
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> FaultedByRequest = new();

    private readonly ConditionalWeakTable<DbTransaction, StrongBox<int>> _statements = new();

    /// <summary>Whether the first attempt of every write unit meets a fault (on by default, in every test app).</summary>
    public bool FirstAttempts { get; set; } = true;

    /// <summary>Every write unit run inside <paramref name="work"/> meets a fault at every attempt.</summary>
    public static async Task<T> AlwaysBusy<T>(Func<Task<T>> work)
    {
        Busy.Value = true;
        try
        {
            return await work();
        }
        finally
        {
            Busy.Value = false;
        }
    }

    /// <summary>
    /// The write unit run inside <paramref name="work"/> stops after its first statement (holding whatever that statement
    /// locked) until <paramref name="release"/> completes; <paramref name="paused"/> completes when it has stopped.
    /// </summary>
    public static Task<T> PausedAfterFirstStatement<T>(TaskCompletionSource paused, Task release, Func<Task<T>> work)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = release.ContinueWith(_ => gate.TrySetResult(), TaskScheduler.Default);
        Pause.Value = gate;
        Paused.Value = paused;
        return work();
    }

    /// <summary>The write units that met a fault in the requests sent with <see cref="Header"/> set to <paramref name="id"/>.</summary>
    public static IReadOnlyList<string> FaultedIn(string id) => FaultedByRequest.TryGetValue(id, out var units) ? units.ToList() : [];

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Statement(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Statement(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Statement(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Statement(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Statement(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Statement(command);
        return ValueTask.FromResult(result);
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        await PauseAfterFirstAsync(command);
        return result;
    }

    public override async ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await PauseAfterFirstAsync(command);
        return result;
    }

    /// <summary>
    /// A transaction begins: its statements are counted from zero. Npgsql hands out the same transaction object again for
    /// the next transaction on a connection, so a count kept from before would run on into the next unit.
    /// </summary>
    public void Started(DbTransaction transaction) => _statements.AddOrUpdate(transaction, new StrongBox<int>(0));

    /// <summary>The commit of a write unit: the last place its first attempt may meet its fault.</summary>
    public void Committing(DbTransaction transaction)
    {
        if (!WriteUnit.IsHeld)
        {
            return;
        }

        if (AlwaysFaulted() || (FirstAttempts && WriteUnit.Attempt == 1))
        {
            throw Fault();
        }
    }

    private void Statement(DbCommand command)
    {
        if (!WriteUnit.IsHeld || command.Transaction is not { } transaction)
        {
            return;
        }

        var index = _statements.GetOrCreateValue(transaction).Value++;
        if (AlwaysFaulted() && index == 0)
        {
            throw Fault();
        }

        // The first attempt meets its fault at its first or second statement, or (see Committing) at its commit.
        if (FirstAttempts && WriteUnit.Attempt == 1 && index == Point(WriteUnit.HeldBy!))
        {
            throw Fault();
        }
    }

    private async Task PauseAfterFirstAsync(DbCommand command)
    {
        if (WriteUnit.IsHeld && Pause.Value is { } gate && command.Transaction is { } transaction
            && _statements.TryGetValue(transaction, out var count) && count.Value == 1)
        {
            Pause.Value = null;
            Paused.Value?.TrySetResult();
            await gate.Task;
        }
    }

    private bool AlwaysFaulted() => Busy.Value || http.HttpContext?.Request.Headers.ContainsKey(Header) == true;

    /// <summary>Where a unit's first attempt meets its fault: statement 0 or 1, or 2 for its commit (fewer statements: the commit).</summary>
    private static int Point(string unit) => unit.Sum(c => c) % 3;

    private Exception Fault()
    {
        var unit = WriteUnit.HeldBy!;
        Faulted.AddOrUpdate(unit, 1, (_, n) => n + 1);
        if (http.HttpContext?.Request.Headers[Header].ToString() is { Length: > 0 } id)
        {
            FaultedByRequest.GetOrAdd(id, _ => new ConcurrentQueue<string>()).Enqueue(unit);
        }

        var turn = Faulted[unit] + WriteUnit.Attempt;
        if (!TestDatabase.IsPostgres)
        {
            SecurityReport.Add(SecurityReport.BusyFaults);
            // Worded apart from SQLite's own messages, which the concurrency tests look for in the log as real failures.
            return turn % 2 == 0
                ? new SqliteException("SQLite Error 5 (busy), injected by the test: the write lock is taken.", 5)
                : new SqliteException("SQLite Error 6 (locked), injected by the test: a table is locked.", 6);
        }

        switch (turn % 3)
        {
            case 0:
                SecurityReport.Add(SecurityReport.BusyFaults);
                return new PostgresException("canceling statement due to lock timeout", "ERROR", "ERROR", PostgresErrorCodes.LockNotAvailable);
            case 1:
                SecurityReport.Add(SecurityReport.SerializationFaults);
                return new PostgresException("could not serialize access due to concurrent update", "ERROR", "ERROR", PostgresErrorCodes.SerializationFailure);
            default:
                SecurityReport.Add(SecurityReport.SerializationFaults);
                return new PostgresException("deadlock detected", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected);
        }
    }
}

/// <summary>Hands a write unit's commit to <see cref="DatabaseFaults"/>.</summary>
public sealed class DatabaseCommitFaults(DatabaseFaults faults) : DbTransactionInterceptor
{
    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        faults.Started(result);
        return result;
    }

    public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        faults.Started(result);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        faults.Committing(transaction);
        return result;
    }

    public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        faults.Committing(transaction);
        return ValueTask.FromResult(result);
    }
}
