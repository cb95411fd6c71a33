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

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostDecideAsync(OrderDecision decision, CancellationToken cancellationToken)
    {
        await sender.Send(new DecideOrder.Command(OrderId, decision), cancellationToken);
        TempData.Success(decision switch { OrderDecision.Accept => "The order was accepted.", OrderDecision.Fraud => "The order was marked as fraud.", _ => "The order was cancelled." });
        return RedirectToPage(new { id = OrderId });
    }

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken cancellationToken)
    {
        await sender.Send(new MarkIdentityVerified.Command(Order.UserId), cancellationToken);
        TempData.Success($"{Order.UserName} is now identity verified.");
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
