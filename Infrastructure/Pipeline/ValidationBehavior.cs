using FluentValidation;
using Mediator;

namespace Portal.Infrastructure.Pipeline;

/// <summary>
/// Runs every FluentValidation validator of a message before its handler; failures stop the message. Every refusal and
/// conflict, the validators' and the handler's own, leaves naming the message that was refused
/// (<see cref="Refuse.MessageTypeOf"/>), so the page filter can put it on the form that sent that message.
/// </summary>
public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(new ValidationContext<TMessage>(message), cancellationToken);
            failures.AddRange(result.Errors);
        }

        if (failures.Count > 0)
        {
            throw Refuse.Naming(new ValidationException(failures), typeof(TMessage));
        }

        try
        {
            return await next(message, cancellationToken);
        }
        catch (Exception e) when (e is ValidationException or ConflictException && Refuse.MessageTypeOf(e) is null)
        {
            Refuse.Naming(e, typeof(TMessage));
            throw;
        }
    }
}
