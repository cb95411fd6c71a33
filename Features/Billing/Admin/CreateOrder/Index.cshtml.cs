using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Shared;
using Portal.Features.Clients;

namespace Portal.Features.Billing;

/// <summary>
/// An admin creates an order for a client: choose, review the priced lines, confirm. It is associated with the client's
/// owner and records the admin; as for a client's order, the confirmation is bound to the stored review.
/// </summary>
public sealed class CreateOrderPage(ISender sender) : PortalPage
{
    [BindProperty]
    public PlaceOrder.Command Input { get; set; } = new();

    /// <summary>The client the review and confirmation are for; set from <see cref="Client"/> once that names one client.</summary>
    [BindProperty]
    public int ClientId { get; set; }

    /// <summary>What the admin typed in the "Client" box (or a client's number from a link).</summary>
    [BindProperty(SupportsGet = true, Name = "client")]
    public string? Client { get; set; }

    public PickClient.Result Pick { get; private set; } = PickClient.Result.Empty;

    public IReadOnlyList<PlaceOrder.CatalogueRow> Catalogue { get; private set; } = [];

    public PlaceOrder.PricedReview? Review { get; private set; }

    /// <summary>The confirmation was not of what was reviewed: <see cref="Review"/> is a new one to confirm.</summary>
    public bool PricesChanged { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Pick = await sender.Send(new PickClient.Query(Client), cancellationToken);

    public async Task<IActionResult> OnPostReviewAsync(CancellationToken cancellationToken)
    {
        Pick = await sender.Send(new PickClient.Query(Client), cancellationToken);
        if (Pick.ClientId is not { } clientId)
        {
            if (Pick.IsEmpty)
            {
                Pick = Pick with { Problem = "Type the client's name, company, e-mail address or number." };
            }

            ModelState.AddModelError("client", Pick.Problem!);
            return Page();
        }

        ClientId = clientId;
        Review = await sender.Send(new PlaceOrder.Review { ClientId = ClientId, UserId = null, Lines = Input.Lines }, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken cancellationToken)
    {
        var placed = await sender.Send(new PlaceOrder.Command { ClientId = ClientId, UserId = null, Lines = Input.Lines, IdempotencyKey = Input.IdempotencyKey }, cancellationToken);
        if (placed.OrderId is not { } orderId)
        {
            (Review, PricesChanged) = (placed.ReviewAgain, true);
            return Page();
        }

        TempData.Success($"Order #{orderId} was created.");
        return RedirectToPage("/Billing/Admin/AdminOrder/Index", new { id = orderId });
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Catalogue = await sender.Send(new PlaceOrder.CatalogueQuery(), cancellationToken);
        return true;
    }

    public int QuantityOf(int productId) => Input.Lines.FirstOrDefault(l => l.ProductId == productId)?.Quantity ?? 0;
}
