using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Web;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Shared;

namespace Portal.Features.Billing;

public sealed class AdminOrderPage(ISender sender) : PortalPage
{
    [FromRoute(Name = "id")]
    public int OrderId { get; set; }

    public AdminOrder.Details Order { get; private set; } = null!;

    [BindProperty]
    public RejectIdentityDocument.Command Rejection { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAcceptAsync(CancellationToken cancellationToken)
    {
        await sender.Send(new AcceptOrder.Command(OrderId), cancellationToken);
        TempData.Success("The order was accepted.");
        return RedirectToPage(new { id = OrderId });
    }

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken cancellationToken)
    {
        await sender.Send(new MarkIdentityVerified.Command(Order.UserId), cancellationToken);
        TempData.Success($"{Order.UserName} is now identity verified.");
        return RedirectToPage(new { id = OrderId });
    }

    public async Task<IActionResult> OnPostApproveDocumentAsync(int documentId, CancellationToken cancellationToken)
    {
        await sender.Send(new ApproveIdentityDocument.Command(documentId), cancellationToken);
        TempData.Success($"The identity document was approved and deleted: {Order.UserName} is now identity verified.");
        return RedirectToPage(new { id = OrderId });
    }

    public async Task<IActionResult> OnPostRejectDocumentAsync(CancellationToken cancellationToken)
    {
        await sender.Send(Rejection, cancellationToken);
        TempData.Success($"The identity document was rejected and deleted; {Order.UserName} was told why and may upload another.");
        return RedirectToPage(new { id = OrderId });
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new AdminOrder.Query(OrderId), cancellationToken) is not { } order)
        {
            return false;
        }

        Order = order;
        return true;
    }
}
