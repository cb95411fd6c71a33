using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Web;
using InvoiceDocument = Portal.Features.Billing.ViewInvoice.ViewInvoice;

namespace Portal.Features.Admin.Billing.ViewInvoice;

public sealed class IndexModel(ISender sender, TimeProvider time) : PageModel
{
    [FromRoute(Name = "id")]
    public int InvoiceId { get; set; }

    [BindProperty]
    public RecordPayment.Command Input { get; set; } = new();

    public InvoiceDocument.Details Invoice { get; private set; } = null!;

    public void OnGet() => Input = new RecordPayment.Command { Amount = Invoice.Balance, Date = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), Reference = Invoice.PaymentReference };

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.InvoiceId = InvoiceId;
        await sender.Send(Input, cancellationToken);
        TempData.Success("The payment was recorded.");
        return RedirectToPage(new { id = InvoiceId });
    }

    public async Task<IActionResult> OnPostRefundAsync(CancellationToken cancellationToken)
    {
        await sender.Send(new RefundInvoice.Command(InvoiceId), cancellationToken);
        TempData.Success("The invoice was refunded.");
        return RedirectToPage(new { id = InvoiceId });
    }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (await sender.Send(new InvoiceDocument.Query(null, InvoiceId), HttpContext.RequestAborted) is not { } invoice)
        {
            context.Result = NotFound();
            return;
        }

        Invoice = invoice;
        await next();
    }
}
