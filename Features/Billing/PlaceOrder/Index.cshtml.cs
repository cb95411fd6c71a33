using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Membership;
using Portal.Features.Shared;

namespace Portal.Features.Billing;

[RequirePermission(Permission.Orders)]
public sealed class PlaceOrderPage(ISender sender, AccountContext account) : PortalPage
{
    [BindProperty]
    public PlaceOrder.Command Input { get; set; } = new();

    public IReadOnlyList<PlaceOrder.CatalogueRow> Catalogue { get; private set; } = [];

    public PlaceOrder.PricedReview? Review { get; private set; }

    /// <summary>The confirmation was not of what was reviewed: <see cref="Review"/> is a new one to confirm.</summary>
    public bool PricesChanged { get; private set; }

    public string AccountName => account.RequireAccount().DisplayName;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostReviewAsync(CancellationToken cancellationToken)
    {
        Review = await sender.Send(new PlaceOrder.Review { Lines = Input.Lines, ClientId = account.RequireAccount().ClientId, UserId = account.UserId }, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken cancellationToken)
    {
        var placed = await sender.Send(
            new PlaceOrder.Command { Lines = Input.Lines, IdempotencyKey = Input.IdempotencyKey, ClientId = account.RequireAccount().ClientId, UserId = account.UserId },
            cancellationToken);
        if (placed.OrderId is not { } orderId)
        {
            (Review, PricesChanged) = (placed.ReviewAgain, true);
            return Page();
        }

        TempData.Success($"Thank you: order #{orderId} was placed.");
        return RedirectToPage("/Billing/ViewOrder/Index", new { id = orderId });
    }

    /// <summary>The catalogue, each product with the quantity posted for it so far.</summary>
    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Catalogue = await sender.Send(new PlaceOrder.CatalogueQuery(), cancellationToken);
        return true;
    }

    public int QuantityOf(int productId) => Input.Lines.FirstOrDefault(l => l.ProductId == productId)?.Quantity ?? 0;
}
