using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;

namespace Portal.Features.Billing.ViewInvoice;

[RequirePermission(Permission.Invoices)]
public sealed class IndexModel(ISender sender, AccountContext account) : PageModel
{
    [FromRoute(Name = "id")]
    public int InvoiceId { get; set; }

    public ViewInvoice.Details Invoice { get; private set; } = null!;

    public void OnGet()
    {
    }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (await sender.Send(new ViewInvoice.Query(account.RequireAccount().ClientId, InvoiceId), HttpContext.RequestAborted) is not { } invoice)
        {
            context.Result = NotFound();
            return;
        }

        Invoice = invoice;
        await next();
    }
}
