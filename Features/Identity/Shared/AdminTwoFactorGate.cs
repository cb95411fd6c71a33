using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Portal.Features.Settings;
using Portal.Infrastructure.Auth;

namespace Portal.Features.Identity;

/// <summary>A page an admin without a second factor may still open while two-factor authentication is required (where they set it up).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AllowedWithoutSecondFactorAttribute : Attribute;

/// <summary>
/// "Require two-factor authentication for admins": while it is on, an admin without a second factor is sent to
/// /admin/security from every other admin page, GET or POST, before the page does anything, and from the jobs
/// dashboard (<see cref="Portal.Infrastructure.Jobs.JobsSetup"/> asks <see cref="HoldsBackAsync"/> before serving it).
/// </summary>
public sealed class AdminTwoFactorGate(AdminContext admin, SystemSettings settings) : IAsyncPageFilter
{
    public const string SecurityPage = "/Identity/Admin/AdminSecurity/Index";

    public const string SecurityPath = "/admin/security";

    /// <summary>Whether the signed-in admin must set up a second factor before doing anything else in the admin area.</summary>
    public async Task<bool> HoldsBackAsync(CancellationToken cancellationToken) =>
        admin.IsSignedIn && !admin.TwoFactorEnabled && (await settings.GetAsync(cancellationToken)).AdminTwoFactorRequired;

    /// <summary>Ahead of the page filters that load a page's data.</summary>
    public const int Order = int.MinValue + 100;

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var model = context.HandlerInstance.GetType();
        if (AdminArea.Holds(context.ActionDescriptor.ViewEnginePath)
            && model.GetCustomAttribute<AllowedWithoutSecondFactorAttribute>() is null && model.GetCustomAttribute<AllowAnonymousAttribute>() is null
            && await HoldsBackAsync(context.HttpContext.RequestAborted))
        {
            context.Result = new RedirectToPageResult(SecurityPage);
            return;
        }

        await next();
    }
}
