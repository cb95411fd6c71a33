using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Portal.Features.Admin.Billing.Products;

public sealed class IndexModel(ISender sender) : PageModel
{
    public IReadOnlyList<ListProducts.Row> Products { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Products = await sender.Send(new ListProducts.Query(), cancellationToken);
}
