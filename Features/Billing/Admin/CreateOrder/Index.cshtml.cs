using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Shared;

namespace Portal.Features.Billing;

/// <summary>An admin creates an order for a client: it is associated with the client's owner and records the admin.</summary>
public sealed class CreateOrderPage(ISender sender) : PortalPage
{
    [BindProperty]
    public PlaceOrder.Command Input { get; set; } = new();

    [BindProperty]
    public int ClientId { get; set; }

    public IReadOnlyList<PlaceOrder.CatalogueRow> Catalogue { get; private set; } = [];

    public void OnGet([FromQuery(Name = "client")] int? client)
    {
        ClientId = client ?? 0;
        Input = new PlaceOrder.Command { IdempotencyKey = Tokens.New() };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var orderId = await sender.Send(new PlaceOrder.Command { ClientId = ClientId, UserId = null, Lines = Input.Lines, IdempotencyKey = Input.IdempotencyKey }, cancellationToken);
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
