using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Web;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Shared;

namespace Portal.Features.Billing;

public sealed class AdminInvoicePage(ISender sender, TimeProvider time) : PortalPage
{
    [FromRoute(Name = "id")]
    public int InvoiceId { get; set; }

    [BindProperty]
    public RecordPayment.Command Input { get; set; } = new();

    public ViewInvoice.Details Invoice { get; private set; } = null!;

    public void OnGet() => Input = new RecordPayment.Command { Amount = Invoice.Balance, Date = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), Reference = Invoice.PaymentReference };

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.InvoiceId = InvoiceId;
        await sender.Send(Input, cancellationToken);
        TempData.Success("The payment was recorded.");
        return RedirectToPage(new { id = InvoiceId });
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new ViewInvoice.Query(null, InvoiceId), cancellationToken) is not { } invoice)
        {
            return false;
        }

        Invoice = invoice;
        return true;
    }
}
