using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;

namespace Portal.Features.Billing.ResetServicePassword;

[RequirePermission(Permission.ManageProducts)]
public sealed class IndexModel(ISender sender, AccountContext account) : PageModel
{
    [FromRoute(Name = "id")]
    public int ServiceId { get; set; }

    public ResetServicePassword.Target Service { get; private set; } = null!;

    /// <summary>The new password, on the response to the reset only: it is not shown again by this page.</summary>
    public string? NewPassword { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        NewPassword = await sender.Send(new ResetServicePassword.Command(account.RequireAccount().ClientId, ServiceId), cancellationToken);
        return Page();
    }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (await sender.Send(new ResetServicePassword.Query(account.RequireAccount().ClientId, ServiceId), HttpContext.RequestAborted) is not { } service)
        {
            context.Result = NotFound();
            return;
        }

        Service = service;
        await next();
    }
}
