using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Mediator;
using Portal.Infrastructure.Web;

namespace Portal.Features.Billing.PlaceOrder;

[RequirePermission(Permission.Orders)]
public sealed class IndexModel(ISender sender, AccountContext account) : PageModel, IReloadOnInvalid
{
    [BindProperty]
    public PlaceOrder.Command Input { get; set; } = new();

    public IReadOnlyList<PlaceOrder.CatalogueRow> Catalogue { get; private set; } = [];

    public PlaceOrder.Review? Review { get; private set; }

    public string AccountName => account.RequireAccount().DisplayName;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await ReloadAsync();

    public async Task<IActionResult> OnPostReviewAsync(CancellationToken cancellationToken)
    {
        Review = await sender.Send(new PlaceOrder.ReviewQuery { Lines = Input.Lines }, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken cancellationToken)
    {
        var orderId = await sender.Send(
            new PlaceOrder.Command { Lines = Input.Lines, IdempotencyKey = Input.IdempotencyKey, ClientId = account.RequireAccount().ClientId, UserId = account.UserId },
            cancellationToken);
        TempData.Success($"Thank you: order #{orderId} was placed.");
        return RedirectToPage("/Billing/ViewOrder/Index", new { id = orderId });
    }

    /// <summary>The catalogue, with a line per product that keeps what was chosen so far.</summary>
    public async Task ReloadAsync()
    {
        Catalogue = await sender.Send(new PlaceOrder.CatalogueQuery());
        var chosen = Input.Lines.Where(l => l.Quantity != 0).GroupBy(l => l.ProductId).ToDictionary(g => g.Key, g => g.First().Quantity);
        Input.Lines.Clear();
        Input.Lines.AddRange(Catalogue.Select(p => new Shared.OrderLine { ProductId = p.Id, Quantity = chosen.GetValueOrDefault(p.Id) }));
    }
}
