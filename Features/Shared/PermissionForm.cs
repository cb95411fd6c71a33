using FluentValidation;
using Portal.Infrastructure.Data;

namespace Portal.Features.Shared;

/// <summary>The permission checkboxes of a form: each of the thirteen by key, or "All permissions".</summary>
public class PermissionForm
{
    public bool AllPermissions { get; init; }
    public List<string> Permissions { get; init; } = [];

    /// <summary>What the form grants; keys that are not one of the thirteen grant nothing.</summary>
    public PermissionSet Chosen => AllPermissions ? PermissionSet.Every : PermissionSet.FromKeys(Permissions);
}

public static class PermissionRules
{
    public static void AddPermissionRules<T>(this AbstractValidator<T> validator)
        where T : PermissionForm
    {
        validator.RuleFor(x => x.Chosen).Must(p => !p.IsEmpty).WithMessage("Choose at least one permission.")
            .OverridePropertyName(nameof(PermissionForm.Permissions));
    }
}
