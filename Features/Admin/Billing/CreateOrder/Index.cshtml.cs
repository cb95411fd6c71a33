using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Features.Billing.PlaceOrder;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Mediator;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.Billing.CreateOrder;

/// <summary>An admin creates an order for a client: it is associated with the client's owner and records the admin.</summary>
public sealed class IndexModel(ISender sender) : PageModel, IReloadOnInvalid
{
    [BindProperty]
    public PlaceOrder.Command Input { get; set; } = new();

    [BindProperty]
    public int ClientId { get; set; }

    public IReadOnlyList<PlaceOrder.CatalogueRow> Catalogue { get; private set; } = [];

    public async Task OnGetAsync([FromQuery(Name = "client")] int? client)
    {
        ClientId = client ?? 0;
        Input = new PlaceOrder.Command { IdempotencyKey = Tokens.New() };
        await ReloadAsync();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var orderId = await sender.Send(new PlaceOrder.Command { ClientId = ClientId, UserId = null, Lines = Input.Lines, IdempotencyKey = Input.IdempotencyKey }, cancellationToken);
        TempData.Success($"Order #{orderId} was created.");
        return RedirectToPage("/Admin/Billing/ViewOrder/Index", new { id = orderId });
    }

    public async Task ReloadAsync()
    {
        Catalogue = await sender.Send(new PlaceOrder.CatalogueQuery());
        var chosen = Input.Lines.Where(l => l.Quantity != 0).GroupBy(l => l.ProductId).ToDictionary(g => g.Key, g => g.First().Quantity);
        Input.Lines.Clear();
        Input.Lines.AddRange(Catalogue.Select(p => new Portal.Features.Billing.Shared.OrderLine { ProductId = p.Id, Quantity = chosen.GetValueOrDefault(p.Id) }));
    }
}
