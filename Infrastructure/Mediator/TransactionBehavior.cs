using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Mediator;

/// <summary>A command that must read and write under one write lock says so; nothing else opens a transaction.</summary>
public interface ITransactional;

/// <summary>
/// Opens one transaction around a handler whose message is <see cref="ITransactional"/> and commits it when the handler
/// returns; an exception (a refusal, a conflict, not found) rolls everything back. On SQLite the transaction begins
/// IMMEDIATE (Microsoft.Data.Sqlite's default), so it takes the write lock before the handler's first read. A message sent
/// while a transaction is already open joins it.
/// </summary>
public sealed class TransactionBehavior<TMessage, TResponse>(PortalDbContext db) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is not ITransactional || db.Database.CurrentTransaction is not null)
        {
            return await next(message, cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var response = await next(message, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return response;
    }
}
