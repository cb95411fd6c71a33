using Mediator;

namespace Portal.Infrastructure.Pipeline;

/// <summary>
/// A command whose whole handler reads and writes as one says so; its handler then runs inside one <see cref="WriteUnit"/>
/// (and may run again when the unit retries it after losing a race). A handler with slow work (a password hash, Data
/// Protection, signing in) does not declare it: it does that work before or after, and calls <see cref="WriteUnit"/> for
/// the part that reads and writes.
/// </summary>
public interface ITransactional;

/// <summary>Runs the handler of an <see cref="ITransactional"/> message inside a <see cref="WriteUnit"/> named after the message.</summary>
public sealed class TransactionBehavior<TMessage, TResponse>(WriteUnit writes) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private static readonly string Name = WriteUnitNames.Of(typeof(TMessage));

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is not ITransactional)
        {
            return await next(message, cancellationToken);
        }

        return await writes.RunAsync(Name, async ct => await next(message, ct), cancellationToken);
    }
}

/// <summary>A unit's name in the lock-hold figures and the log: the message's use case and type, <c>PlaceOrder.Command</c>.</summary>
public static class WriteUnitNames
{
    public static string Of(Type message) => message.DeclaringType is { } useCase ? $"{useCase.Name}.{message.Name}" : message.Name;
}
