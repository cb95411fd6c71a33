using FluentValidation;
using Mediator;

namespace Portal.Infrastructure.Mediator;

/// <summary>Runs every FluentValidation validator of a message before its handler; failures stop the message.</summary>
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
            throw new ValidationException(failures);
        }

        return await next(message, cancellationToken);
    }
}

/// <summary>A handler's refusal that belongs next to a form field, found only once the handler looks at the data.</summary>
public static class Refuse
{
    public static ValidationException Because(string field, string message) =>
        new([new FluentValidation.Results.ValidationFailure(field, message)]);

    public static ValidationException Because(string message) => Because("", message);
}
