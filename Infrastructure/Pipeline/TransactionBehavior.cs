using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Pipeline;

/// <summary>A command that must read and write under one write lock says so; nothing else opens a transaction.</summary>
public interface ITransactional;

/// <summary>
/// Opens one transaction around a handler whose message is <see cref="ITransactional"/> and commits it when the handler
/// returns; an exception (a refusal, a conflict, not found) rolls everything back. On SQLite the transaction begins
/// IMMEDIATE (Microsoft.Data.Sqlite's default), so it takes the write lock before the handler's first read. On PostgreSQL
/// the transaction takes one transaction-scoped advisory lock first, the same lock for every such command, so that they
/// run one at a time across all instances as they do on SQLite's single writer. A message sent while a transaction is
/// already open joins it.
/// </summary>
public sealed class TransactionBehavior<TMessage, TResponse>(PortalDbContext db) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    /// <summary>The advisory lock key of Portal's transactional commands on PostgreSQL ("Portal" in ASCII).</summary>
    private const long WriteLockKey = 0x506F7274616C;
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(2);

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is not ITransactional || db.Database.CurrentTransaction is not null)
        {
            return await next(message, cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            // Waiting for its turn is not an error: the wait is bounded by LockWait, not by the 30-second command timeout.
            var commandTimeout = db.Database.GetCommandTimeout();
            db.Database.SetCommandTimeout(LockWait);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({WriteLockKey})", cancellationToken);
            db.Database.SetCommandTimeout(commandTimeout);
        }

        var response = await next(message, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return response;
    }
}
