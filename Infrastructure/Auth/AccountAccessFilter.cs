using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Features.Membership;
using Portal.Features.Settings;

namespace Portal.Infrastructure.Auth;

/// <summary>
/// Enforces the page's <see cref="RequireAccountAttribute"/> family on every request, GET and POST alike, against the
/// account context read from the database for this very request.
/// </summary>
public sealed class AccountAccessFilter(AccountContext account, Portal.Features.Settings.SystemSettings settings, PortalDbContext db) : IAsyncPageFilter
{
    /// <summary>A page's attributes never change while the app runs: read once per page type, not on every request.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<TypeInfo, RequireAccountAttribute[]> Requirements = new();

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<TypeInfo, AccountObjectAttribute?> Objects = new();

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

        if (await OtherAccountAsync(context, requirements) is { } elsewhere)
        {
            context.Result = elsewhere;
            return;
        }

        if (account.Account is not { } active)
        {
            var returnUrl = context.HttpContext.Request.Path + context.HttpContext.Request.QueryString;
            context.Result = new RedirectToPageResult("/Membership/ChooseAccount/Index", new { returnUrl });
            return;
        }

        if (await RefusalAsync(context, requirements, active) is { } refused)
        {
            context.Result = refused;
            return;
        }

        await next();
    }

    private async Task<IActionResult?> RefusalAsync(PageHandlerExecutingContext context, RequireAccountAttribute[] requirements, ActiveAccount active)
    {
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
                context.HttpContext.Items[typeof(AccessRefusal)] = refusal with { In = active };
                return new StatusCodeResult(StatusCodes.Status403Forbidden);
            }
        }

        return null;
    }

    /// <summary>
    /// A link to an object of another of the user's accounts (from an e-mail or a bookmark) than the active one. Asked with
    /// a GET only, it never switches: a member of that account who may open the page there is asked "Continue as B?", which
    /// switches by a POST; a member without the page's permission there gets the 403 page about that account; anyone else
    /// the 404 page, as for an object that does not exist. A POST is left to the page (which finds nothing in the active account).
    /// </summary>
    private async Task<IActionResult?> OtherAccountAsync(PageHandlerExecutingContext context, RequireAccountAttribute[] requirements)
    {
        var request = context.HttpContext.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || context.ActionDescriptor.ModelTypeInfo is not { } model
            || Objects.GetOrAdd(model, type => type.GetCustomAttribute<AccountObjectAttribute>(true)) is not { } attribute
            || !int.TryParse(context.RouteData.Values[attribute.RouteValue]?.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        var cancellationToken = context.HttpContext.RequestAborted;
        if (await attribute.AccountOfAsync(db, id, cancellationToken) is not { } owner || owner == account.Account?.ClientId)
        {
            return null;
        }

        var userId = account.UserId;
        var membership = await db.ClientUsers.AsNoTracking()
            .Where(cu => cu.UserId == userId && cu.ClientId == owner && cu.Client.Status != Portal.Features.Clients.ClientStatus.Closed)
            .Select(cu => new { cu.Client.FirstName, cu.Client.LastName, cu.Client.CompanyName, IsOwner = cu.Client.OwnerUserId == userId, cu.StoredPermissions })
            .FirstOrDefaultAsync(cancellationToken);
        if (membership is null)
        {
            return new NotFoundResult();
        }

        var there = new ActiveAccount(owner, Portal.Features.Clients.Client.DisplayNameOf(membership.FirstName, membership.LastName, membership.CompanyName),
            membership.IsOwner, ClientUser.Effective(membership.IsOwner, membership.StoredPermissions));
        if (await RefusalAsync(context, requirements, there) is { } refused)
        {
            return refused;
        }

        var returnUrl = request.Path + request.QueryString;
        return new RedirectToPageResult("/Membership/ContinueAs/Index", new { clientId = owner, returnUrl });
    }
}

/// <summary>Why a page refused the active account, for the 403 page to say so.</summary>
public abstract record AccessRefusal
{
    /// <summary>The account the page was refused in: the active one, or the one a link to another account's object led to.</summary>
    public ActiveAccount? In { get; init; }

    public static AccessRefusal? Of(HttpContext context) => context.Items[typeof(AccessRefusal)] as AccessRefusal;

    /// <summary>The page needs a permission the user does not have in the active account.</summary>
    public sealed record MissingPermission(Permission Permission) : AccessRefusal;

    /// <summary>Only the account's owner may use the page.</summary>
    public sealed record OwnerOnly : AccessRefusal;

    /// <summary>The owner asked for User Management, which the provider turned off for every account.</summary>
    public sealed record UserManagementOff : AccessRefusal;
}
