using FluentValidation;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Portal.Features.Shared;

/// <summary>A command that only runs once the admin ticked "I understand": delete, remove, change of owner.</summary>
public interface IConfirmed
{
    bool Confirm { get; }
}

public static class ConfirmationRules
{
    /// <summary>Refuses the command, beside its tick box, until the box is ticked.</summary>
    public static void RequireConfirmation<T>(this AbstractValidator<T> validator, string message)
        where T : IConfirmed =>
        validator.RuleFor(x => x.Confirm).Equal(true).WithMessage(message);
}

/// <summary>A tick-to-confirm command about one user of one client account; the page sets the ids from its route.</summary>
public abstract class ConfirmedForClientUser : IConfirmed
{
    [BindNever]
    public int ClientId { get; set; }

    [BindNever]
    public int UserId { get; set; }

    public bool Confirm { get; init; }
}
