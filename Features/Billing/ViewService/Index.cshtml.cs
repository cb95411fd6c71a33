using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;

namespace Portal.Features.Billing.ViewService;

[RequirePermission(Permission.Products)]
public sealed class IndexModel(ISender sender, AccountContext account) : PageModel
{
    [FromRoute(Name = "id")]
    public int ServiceId { get; set; }

    public ViewService.Details Service { get; private set; } = null!;

    public bool MayManageLogin => account.RequireAccount().Has(Permission.ManageProducts);

    public bool MayOrder => account.RequireAccount().Has(Permission.Orders);

    public void OnGet()
    {
    }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (await sender.Send(new ViewService.Query(account.RequireAccount().ClientId, ServiceId, MayManageLogin), HttpContext.RequestAborted) is not { } service)
        {
            context.Result = NotFound();
            return;
        }

        Service = service;
        await next();
    }
}
