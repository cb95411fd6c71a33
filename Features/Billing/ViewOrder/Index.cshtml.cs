using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;

namespace Portal.Features.Billing.ViewOrder;

[RequirePermission(Permission.Orders)]
public sealed class IndexModel(ISender sender, AccountContext account) : PageModel
{
    [FromRoute(Name = "id")]
    public int OrderId { get; set; }

    public ViewOrder.Details Order { get; private set; } = null!;

    public bool MaySeeInvoices => account.RequireAccount().Has(Permission.Invoices);

    public void OnGet()
    {
    }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (await sender.Send(new ViewOrder.Query(account.RequireAccount().ClientId, OrderId), HttpContext.RequestAborted) is not { } order)
        {
            context.Result = NotFound();
            return;
        }

        Order = order;
        await next();
    }
}
