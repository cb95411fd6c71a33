using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portal.Infrastructure.Data;

/// <summary>
/// SQLite has one writer at a time. Left to itself, a connection that finds the write lock taken sleeps and polls
/// (Microsoft.Data.Sqlite sleeps on a thread-pool thread between tries), so under a burst some writers keep losing the
/// race until their busy timeout ends in "database is locked". Inside one process the writers take turns here instead,
/// first come first served and without holding a thread while they wait; SQLite's own busy wait is left for other
/// processes (a command-line verb beside the running app). A writer that does not get its turn within
/// <see cref="Wait"/> gets a <see cref="BusyDatabaseException"/>, which a page answers with "busy" (503), never 500.
/// Every write takes its turn: a write unit (<see cref="Pipeline.WriteUnit"/>) for its whole transaction, a save outside
/// a unit for the save (<see cref="SqliteSaveTurns"/>), and a lone UPDATE or DELETE for the statement
/// (<see cref="SqliteStatementTurns"/>). One gate per app, so one per database file.
/// </summary>
public sealed class SqliteWriteGate(TimeSpan wait)
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly ConditionalWeakTable<DbContext, Turn> _holders = new();

    /// <summary>How long a write waits for its turn (<c>Database:BusyTimeoutSeconds</c>).</summary>
    public TimeSpan Wait { get; } = wait;

    /// <summary>Whether <paramref name="context"/> has the turn now (its later statements are part of the same write).</summary>
    public bool IsHeldBy(DbContext context) => _holders.TryGetValue(context, out _);

    public async ValueTask<IDisposable> EnterAsync(DbContext context, CancellationToken cancellationToken)
    {
        if (!await _turn.WaitAsync(Wait, cancellationToken))
        {
            throw Busy();
        }

        return Hold(context);
    }

    public IDisposable Enter(DbContext context)
    {
        if (!_turn.Wait(Wait))
        {
            throw Busy();
        }

        return Hold(context);
    }

    private Turn Hold(DbContext context)
    {
        var turn = new Turn(this, context);
        _holders.AddOrUpdate(context, turn);
        return turn;
    }

    private BusyDatabaseException Busy() => new($"No turn to write to the database within {Wait.TotalSeconds:0.#} s.");

    private sealed class Turn(SqliteWriteGate gate, DbContext context) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate._holders.Remove(context);
                gate._turn.Release();
            }
        }
    }
}

/// <summary>A save outside a write unit takes the gate's turn for the save, and its hold is timed.</summary>
public sealed class SqliteSaveTurns(SqliteWriteGate gate, WriteLockMonitor monitor) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, Taken> _taken = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (NeedsTurn(eventData.Context) is { } context)
        {
            var turn = gate.Enter(context);
            _taken.AddOrUpdate(context, new Taken(turn, monitor.Holding(NameOf(context), "Sqlite")));
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (NeedsTurn(eventData.Context) is { } context)
        {
            var turn = await gate.EnterAsync(context, cancellationToken);
            _taken.AddOrUpdate(context, new Taken(turn, monitor.Holding(NameOf(context), "Sqlite")));
        }

        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Release(eventData.Context, saved: true);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context, saved: true);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Release(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Release(eventData.Context);

    /// <summary>A concurrency token that no longer matched ends the save without <see cref="SaveChangesFailed"/>.</summary>
    public override InterceptionResult ThrowingConcurrencyException(ConcurrencyExceptionEventData eventData, InterceptionResult result)
    {
        Release(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult> ThrowingConcurrencyExceptionAsync(ConcurrencyExceptionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>The context, when its save must take a turn: not inside a transaction (a unit has the turn already).</summary>
    private DbContext? NeedsTurn(DbContext? context)
    {
        if (context is null || context.Database.CurrentTransaction is not null)
        {
            return null;
        }

        // A save that ended in a way no event reported still held its turn: the next save of the context is past it.
        Release(context);
        return gate.IsHeldBy(context) ? null : context;
    }

    private void Release(DbContext? context, bool saved = false)
    {
        if (context is not null && _taken.TryGetValue(context, out var taken))
        {
            _taken.Remove(context);
            if (saved)
            {
                taken.Hold.Done();
            }

            taken.Hold.Dispose();
            taken.Turn.Dispose();
        }
    }

    /// <summary>A save is named after what it writes ("save Session, ActivityLogEntry"), as each kind compiles its own commands.</summary>
    private static string NameOf(DbContext context) =>
        "save " + string.Join(", ", context.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => e.Metadata.ClrType.Name).Distinct().Order(StringComparer.Ordinal));

    private sealed record Taken(IDisposable Turn, WriteLockMonitor.HeldLock Hold);
}

/// <summary>A lone UPDATE or DELETE (ExecuteUpdate, ExecuteDelete) outside a transaction and a save takes the gate's turn.</summary>
public sealed class SqliteStatementTurns(SqliteWriteGate gate) : DbCommandInterceptor
{
    private readonly ConditionalWeakTable<DbCommand, IDisposable> _taken = new();

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        if (NeedsTurn(command, eventData) is { } context)
        {
            _taken.AddOrUpdate(command, gate.Enter(context));
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (NeedsTurn(command, eventData) is { } context)
        {
            _taken.AddOrUpdate(command, await gate.EnterAsync(context, cancellationToken));
        }

        return result;
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Release(command);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Release(command);
        return ValueTask.FromResult(result);
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Release(command);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(command);
        return Task.CompletedTask;
    }

    public override void CommandCanceled(DbCommand command, CommandEndEventData eventData) => Release(command);

    public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(command);
        return Task.CompletedTask;
    }

    private DbContext? NeedsTurn(DbCommand command, CommandEventData eventData) =>
        command.Transaction is null && eventData.Context is { } context && !gate.IsHeldBy(context) && Writes(command.CommandText) ? context : null;

    private static bool Writes(string sql)
    {
        var text = sql.AsSpan().TrimStart();
        return text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase) || text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || text.StartsWith("REPLACE", StringComparison.OrdinalIgnoreCase);
    }

    private void Release(DbCommand command)
    {
        if (_taken.TryGetValue(command, out var turn))
        {
            _taken.Remove(command);
            turn.Dispose();
        }
    }
}
