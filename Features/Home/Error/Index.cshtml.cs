using System.Diagnostics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Features.Membership;

namespace Portal.Features.Home;

/// <summary>Every error and refusal page: a plain explanation and a request id; details stay in the log.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorPage(AccountContext account, IOptions<PortalOptions> portal) : PageModel
{
    /// <summary>Why the page refused (403), when the account filter said so.</summary>
    public AccessRefusal? Refusal => AccessRefusal.Of(HttpContext);
    public string AccountName => RefusedIn?.DisplayName ?? "";

    /// <summary>The account the page was refused in: the active one, or the other account a link led to.</summary>
    public ActiveAccount? RefusedIn => Refusal?.In ?? account.Account;
    public string ProviderName => portal.Value.CompanyName;

    public int Code { get; private set; }
    public string RequestId { get; private set; } = "";
    public IEnumerable<Permissions.Info> HeldPermissions => RefusedIn?.Permissions.Items ?? [];
    public bool HasAccount => account.Account is not null;

    /// <summary>The refused or unknown address was under /admin: the way back leads to the admin home.</summary>
    public bool IsAdminArea => new PathString(
        HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>()?.OriginalPath ?? Request.Path.Value)
        .StartsWithSegments("/admin");

    /// <summary>Runs for whatever method the failed request had (a TRACE or PUT refused with 405 shows this page too).</summary>
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context) =>
        Show(int.TryParse(RouteData.Values["code"]?.ToString(), out var code) ? code : null);

    private void Show(int? code)
    {
        // After an exception the handler has chosen the status already: 503 for a write that found the database busy.
        code ??= HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is not null ? Response.StatusCode : null;
        Code = code is >= 400 and < 600 ? code.Value : 500;
        RequestId = System.Diagnostics.Activity.Current?.Id ?? HttpContext.TraceIdentifier;
        Response.StatusCode = Code;
        if (Code == StatusCodes.Status503ServiceUnavailable)
        {
            Response.Headers.RetryAfter = Portal.Infrastructure.Pipeline.BusyException.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
