using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Portal.Infrastructure.Auth;

/// <summary>
/// Enforces the page's <see cref="RequireAccountAttribute"/> family on every request, GET and POST alike, against the
/// account context read from the database for this very request.
/// </summary>
public sealed class AccountAccessFilter(AccountContext account, Data.SystemSettings settings) : IAsyncPageFilter
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
            context.Result = new RedirectToPageResult("/ChooseAccount/Index", new { returnUrl });
            return;
        }

        foreach (var requirement in requirements)
        {
            var allowed = requirement switch
            {
                RequireOwnerAttribute => active.IsOwner,
                RequireUserManagementAttribute => active.MayManageUsers(await settings.GetAsync(context.HttpContext.RequestAborted)),
                RequirePermissionAttribute p => active.Has(p.Permission),
                _ => true,
            };
            if (!allowed)
            {
                // The status-code page explains the refusal and lists what the user may do.
                context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
                return;
            }
        }

        await next();
    }
}
