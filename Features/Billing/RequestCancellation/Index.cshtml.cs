using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Billing.RequestCancellation;

[RequirePermission(Permission.Orders)]
public sealed class IndexModel(ISender sender, AccountContext account) : PageModel
{
    [FromRoute(Name = "id")]
    public int ServiceId { get; set; }

    [BindProperty]
    public RequestCancellation.Command Input { get; set; } = new();

    public RequestCancellation.Target Service { get; private set; } = null!;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.ClientId = account.RequireAccount().ClientId;
        Input.ServiceId = ServiceId;
        Input.UserId = account.UserId;
        await sender.Send(Input, cancellationToken);
        TempData.Success($"Your cancellation request for {Service.Name} was sent.");
        return account.RequireAccount().Has(Permission.Products) ? RedirectToPage("/Billing/ViewService/Index", new { id = ServiceId }) : RedirectToPage("/Dashboard/Index");
    }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (await sender.Send(new RequestCancellation.Query(account.RequireAccount().ClientId, ServiceId), HttpContext.RequestAborted) is not { } service)
        {
            context.Result = NotFound();
            return;
        }

        Service = service;
        await next();
    }
}
