using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Features.Shared;
using Portal.Infrastructure.Web;

namespace Portal.Features.Billing;

public sealed class RefundInvoicePage(ISender sender) : PortalPage
{
    [FromRoute(Name = "id")]
    public int InvoiceId { get; set; }

    [BindProperty]
    public RefundInvoice.Command Input { get; set; } = new();

    public RefundInvoice.Preview Preview { get; private set; } = null!;

    public void OnGet() => Input = new RefundInvoice.Command { Amount = Preview.Refundable };

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.InvoiceId = InvoiceId;
        await sender.Send(Input, cancellationToken);
        TempData.Success("The refund was recorded.");
        return RedirectToPage("/Billing/Admin/AdminInvoice/Index", new { id = InvoiceId });
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Preview = (await sender.Send(new RefundInvoice.Query(InvoiceId), cancellationToken))!;
        return Preview is not null;
    }
}
