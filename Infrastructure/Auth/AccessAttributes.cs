using Microsoft.AspNetCore.Authorization;
using Portal.Infrastructure.Data;
using Portal.Features.Membership;

namespace Portal.Infrastructure.Auth;

/// <summary>
/// The page needs a signed-in client user but no active account (choosing one, for instance). Pages outside /Admin
/// declare their access with this, <see cref="RequireAccountAttribute"/> and its kin, or [AllowAnonymous]: the route
/// matrix test refuses a page that declares nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class RequireSignedInAttribute : Attribute;

/// <summary>The page works on the active account; without one, the visitor is sent to choose an account.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public class RequireAccountAttribute : Attribute;

/// <summary>The page needs this permission on the active account; without it the visitor sees the 403 page.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class RequirePermissionAttribute(Permission permission) : RequireAccountAttribute
{
    public Permission Permission { get; } = permission;
}

/// <summary>Only the owner of the active account may use the page.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class RequireOwnerAttribute : RequireAccountAttribute;

/// <summary>
/// An admin page that lives in its use case's folder rather than under /Admin (the automation pages): it needs the admin
/// cookie, as the /Admin folder convention gives every page there.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class RequireAdminAttribute() : AuthorizeAttribute(AuthSchemes.AdminPolicy);
