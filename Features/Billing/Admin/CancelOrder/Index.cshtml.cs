using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Features.Shared;
using Portal.Infrastructure.Web;

namespace Portal.Features.Billing;

public sealed class CancelOrderPage(ISender sender) : PortalPage
{
    [FromRoute(Name = "id")]
    public int OrderId { get; set; }

    [BindProperty]
    public CancelOrder.Command Input { get; set; } = new();

    public CancelOrder.Preview Preview { get; private set; } = null!;

    /// <summary>"Mark as fraud" opens this page with <c>?as=Fraud</c>; "Cancel order" without.</summary>
    public void OnGet([FromQuery(Name = "as")] OrderDecision? decision) => Input = new CancelOrder.Command { Decision = decision ?? OrderDecision.Cancel };

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.OrderId = OrderId;
        await sender.Send(Input, cancellationToken);
        TempData.Success(Input.Decision == OrderDecision.Fraud ? "The order was marked as fraud." : "The order was cancelled.");
        return RedirectToPage("/Billing/Admin/AdminOrder/Index", new { id = OrderId });
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Preview = (await sender.Send(new CancelOrder.Query(OrderId), cancellationToken))!;
        return Preview is not null;
    }
}
