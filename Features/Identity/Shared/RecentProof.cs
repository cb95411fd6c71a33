using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Settings;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

/// <summary>
/// A sensitive page (a service password reset, an owner's permission changes) or page handler (turning on two-factor
/// authentication): its GET and POST, or that handler, ask the user to
/// prove who they are again (password or second-factor code, at <c>/user/confirm</c>) when the session's last proof
/// is older than the "ask again" setting.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RequiresRecentProofAttribute : Attribute;

/// <summary>Whether this session proved who is behind it recently enough for a sensitive action (step-up).</summary>
public sealed class RecentProof(PortalDbContext db, AccountContext account, SystemSettings settings, TimeProvider time)
{
    public const string ConfirmPage = "/Identity/ConfirmIdentity/Index";

    public async Task<bool> IsFreshAsync(CancellationToken cancellationToken)
    {
        if (!account.IsSignedIn)
        {
            return false;
        }

        var window = TimeSpan.FromMinutes((await settings.GetAsync(cancellationToken)).StepUpMinutes);
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == account.SessionId, cancellationToken);
        return session is not null && session.ProvenWithin(window, time.GetUtcNow());
    }
}

/// <summary>Sends a stale session from a <see cref="RequiresRecentProofAttribute"/> page to confirm who it is, then back.</summary>
public sealed class RecentProofGate(RecentProof proof, AccountContext account) : IAsyncPageFilter
{
    /// <summary>After the access filters: a visitor who may not use the page is refused before being asked anything.</summary>
    public const int Order = 100;

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var marked = context.HandlerInstance.GetType().GetCustomAttribute<RequiresRecentProofAttribute>() is not null
            || context.HandlerMethod?.MethodInfo.GetCustomAttribute<RequiresRecentProofAttribute>() is not null;
        if (account.IsSignedIn && marked
            && !await proof.IsFreshAsync(context.HttpContext.RequestAborted))
        {
            var request = context.HttpContext.Request;
            var back = request.Path + (HttpMethods.IsGet(request.Method) ? request.QueryString : QueryString.Empty);
            context.Result = new RedirectToPageResult(RecentProof.ConfirmPage, new { returnUrl = LocalUrl.IsSafe(back) ? back.ToString() : null });
            return;
        }

        await next();
    }
}
