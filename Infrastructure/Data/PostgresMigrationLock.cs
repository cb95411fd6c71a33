using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL.Migrations.Internal;

namespace Portal.Infrastructure.Data;

#pragma warning disable EF1001 // The provider's history repository is internal API: only its lock is replaced.

/// <summary>
/// EF Core's migration lock on PostgreSQL, held for the whole of a migration run. The provider's own lock
/// (<c>LOCK TABLE</c> on the history table) ends with each migration's transaction, so an instance that waited for it
/// could go on to apply a later migration the first instance was applying too. This one is a session advisory lock
/// taken before EF Core reads which migrations are applied and released when it has applied them all: instances
/// starting together migrate one after the other, and those after the first find nothing left to do.
/// </summary>
internal sealed class PostgresMigrationHistory(HistoryRepositoryDependencies dependencies) : NpgsqlHistoryRepository(dependencies)
{
    /// <summary>"PortMg" in ASCII.</summary>
    private const long LockKey = 0x506F72744D67;

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public override LockReleaseBehavior LockReleaseBehavior => LockReleaseBehavior.Connection;

    public override IMigrationsDatabaseLock AcquireDatabaseLock()
    {
        Dependencies.MigrationsLogger.AcquiringMigrationLock();
        while (!TryLock())
        {
            Thread.Sleep(Poll);
        }

        return new SessionLock(this);
    }

    public override async Task<IMigrationsDatabaseLock> AcquireDatabaseLockAsync(CancellationToken cancellationToken = default)
    {
        Dependencies.MigrationsLogger.AcquiringMigrationLock();
        while (!await TryLockAsync(cancellationToken))
        {
            await Task.Delay(Poll, cancellationToken);
        }

        return new SessionLock(this);
    }

    // Polling instead of waiting in pg_advisory_lock: a wait as long as another instance's migrations would outlast
    // the command timeout.
    private bool TryLock() => Equals(Command($"SELECT pg_try_advisory_lock({LockKey})").ExecuteScalar(Parameters()), true);

    private async Task<bool> TryLockAsync(CancellationToken cancellationToken) =>
        Equals(await Command($"SELECT pg_try_advisory_lock({LockKey})").ExecuteScalarAsync(Parameters(), cancellationToken), true);

    private void Unlock() => Command($"SELECT pg_advisory_unlock({LockKey})").ExecuteScalar(Parameters());

    private Task<object?> UnlockAsync() => Command($"SELECT pg_advisory_unlock({LockKey})").ExecuteScalarAsync(Parameters());

    private IRelationalCommand Command(FormattableString sql) => Dependencies.RawSqlCommandBuilder.Build(FormattableString.Invariant(sql));

    private RelationalCommandParameterObject Parameters() =>
        new(Dependencies.Connection, null, null, Dependencies.CurrentContext.Context, Dependencies.CommandLogger, CommandSource.Migrations);

    /// <summary>
    /// Released explicitly; were the connection closed first, returning it to the pool resets the session, which
    /// releases the lock too.
    /// </summary>
    private sealed class SessionLock(PostgresMigrationHistory history) : IMigrationsDatabaseLock
    {
        public IHistoryRepository HistoryRepository => history;

        public IMigrationsDatabaseLock ReacquireIfNeeded(bool connectionReopened, bool? transactionRestarted) =>
            connectionReopened ? history.AcquireDatabaseLock() : this;

        public async Task<IMigrationsDatabaseLock> ReacquireIfNeededAsync(bool connectionReopened, bool? transactionRestarted, CancellationToken cancellationToken = default) =>
            connectionReopened ? await history.AcquireDatabaseLockAsync(cancellationToken) : this;

        public void Dispose() => history.Unlock();

        public async ValueTask DisposeAsync() => await history.UnlockAsync();
    }
}
