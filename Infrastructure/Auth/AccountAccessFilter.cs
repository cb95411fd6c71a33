using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Portal.Infrastructure.Data;
using Portal.Features.Membership;
using Portal.Features.Settings;

namespace Portal.Infrastructure.Auth;

/// <summary>
/// Enforces the page's <see cref="RequireAccountAttribute"/> family on every request, GET and POST alike, against the
/// account context read from the database for this very request.
/// </summary>
public sealed class AccountAccessFilter(AccountContext account, Portal.Features.Settings.SystemSettings settings) : IAsyncPageFilter
{
    /// <summary>A page's attributes never change while the app runs: read once per page type, not on every request.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<TypeInfo, RequireAccountAttribute[]> Requirements = new();

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var requirements = context.ActionDescriptor.ModelTypeInfo is { } model
            ? Requirements.GetOrAdd(model, type => type.GetCustomAttributes<RequireAccountAttribute>(true).ToArray())
            : [];
        if (requirements.Length == 0)
        {
            await next();
            return;
        }

        if (!account.IsSignedIn)
        {
            context.Result = new ChallengeResult(AuthSchemes.Client);
            return;
        }

        if (account.Account is not { } active)
        {
            var returnUrl = context.HttpContext.Request.Path + context.HttpContext.Request.QueryString;
            context.Result = new RedirectToPageResult("/Membership/ChooseAccount/Index", new { returnUrl });
            return;
        }

        foreach (var requirement in requirements)
        {
            AccessRefusal? refusal = requirement switch
            {
                RequireOwnerAttribute when !active.IsOwner => new AccessRefusal.OwnerOnly(),
                RequireUserManagementAttribute when !active.IsOwner => new AccessRefusal.OwnerOnly(),
                RequireUserManagementAttribute when (await settings.GetAsync(context.HttpContext.RequestAborted)).UserManagementDisabled =>
                    new AccessRefusal.UserManagementOff(),
                RequirePermissionAttribute p when !active.Has(p.Permission) => new AccessRefusal.MissingPermission(p.Permission),
                _ => null,
            };
            if (refusal is not null)
            {
                // The status-code page (re-executed in this same request) says which of these it was and what the user may do.
                context.HttpContext.Items[typeof(AccessRefusal)] = refusal;
                context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
                return;
            }
        }

        await next();
    }
}

/// <summary>Why a page refused the active account, for the 403 page to say so.</summary>
public abstract record AccessRefusal
{
    public static AccessRefusal? Of(HttpContext context) => context.Items[typeof(AccessRefusal)] as AccessRefusal;

    /// <summary>The page needs a permission the user does not have in the active account.</summary>
    public sealed record MissingPermission(Permission Permission) : AccessRefusal;

    /// <summary>Only the account's owner may use the page.</summary>
    public sealed record OwnerOnly : AccessRefusal;

    /// <summary>The owner asked for User Management, which the provider turned off for every account.</summary>
    public sealed record UserManagementOff : AccessRefusal;
}
