using FluentValidation;
using FluentValidation.Results;

namespace Portal.Infrastructure.Pipeline;

/// <summary>
/// How a handler says no. The page filter (<see cref="ValidationFilter"/>) is the one place that turns each into a
/// response: <see cref="NotFound"/> → the 404 page, <see cref="Because(string, string)"/> → the message beside the field
/// (or above the form) on the re-rendered page, <see cref="Conflict"/> → the conflict message on the re-rendered page.
/// </summary>
public static class Refuse
{
    public static ValidationException Because(string field, string message) => new([new ValidationFailure(field, message)]);

    public static ValidationException Because(string message) => Because("", message);

    /// <summary>The record the message names does not exist (any more): a concurrent delete answers 404, never 500.</summary>
    public static NotFoundException NotFound(string what) => new(what);

    /// <summary>Someone else changed the record since the form was shown; nothing was saved.</summary>
    public static ConflictException Conflict(string message, string field = "") => new(field, message);

    private const string MessageTypeKey = "Portal.RefusedMessage";

    /// <summary>The message a refusal or conflict answered, so that it lands on the form bound to that message's type.</summary>
    public static Type? MessageTypeOf(Exception refusal) => refusal.Data[MessageTypeKey] as Type;

    internal static TException Naming<TException>(TException refusal, Type messageType)
        where TException : Exception
    {
        refusal.Data[MessageTypeKey] = messageType;
        return refusal;
    }
}

public sealed class NotFoundException(string what) : Exception($"{what} was not found.");

public sealed class ConflictException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
