using FluentValidation;
using Portal.Infrastructure.Data;
using Portal.Features.Membership;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Membership;

/// <summary>The permission choice of the invite and Manage Permissions forms: "All Permissions" or a chosen set.</summary>
public class PermissionsForm
{
    public bool AllPermissions { get; init; }

    public List<string> Permissions { get; init; } = [];

    /// <summary>What was chosen; keys that are not one of the thirteen grant nothing.</summary>
    public PermissionSet Chosen => AllPermissions ? PermissionSet.Every : PermissionSet.FromKeys(Permissions);

    public const string NoneChosen = "Choose at least one permission.";

    /// <summary>
    /// What the form grants when <paramref name="offered"/> are the permissions on offer: "All Permissions" is every
    /// permission (also those of modules offered later); a chosen set keeps only offered ones, so a permission of a
    /// module not offered that a crafted form posts anyway is ignored. Refused when nothing offered was chosen.
    /// </summary>
    public PermissionSet Granted(PermissionSet offered)
    {
        var granted = AllPermissions ? PermissionSet.Every : Chosen.Intersect(offered);
        return granted.IsEmpty ? throw Refuse.Because(nameof(Permissions), NoneChosen) : granted;
    }
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
