using FluentValidation;
using Portal.Infrastructure.Data;
using Portal.Features.Membership;

namespace Portal.Features.Membership;

/// <summary>The permission choice of the invite and Manage Permissions forms: "All Permissions" or a chosen set.</summary>
public class PermissionsForm
{
    public bool AllPermissions { get; init; }

    public List<string> Permissions { get; init; } = [];

    /// <summary>What was chosen; keys that are not one of the thirteen grant nothing.</summary>
    public PermissionSet Chosen => AllPermissions ? PermissionSet.Every : PermissionSet.FromKeys(Permissions);

    public const string NoneChosen = "Choose at least one permission.";
}

public static class PermissionRules
{
    public static void AddPermissionRules<T>(this AbstractValidator<T> validator)
        where T : PermissionsForm
    {
        validator.RuleFor(x => x.Permissions).Must(p => p is null || p.Count <= Portal.Features.Membership.Permissions.All.Count * 2)
            .WithMessage("Too many permissions were sent.");
        validator.RuleFor(x => x.Chosen).Must(c => !c.IsEmpty).WithName("Permissions").OverridePropertyName("Permissions")
            .WithMessage(PermissionsForm.NoneChosen);
    }
}
