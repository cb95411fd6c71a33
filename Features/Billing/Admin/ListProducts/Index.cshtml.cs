using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Portal.Features.Billing;

public sealed class ListProductsPage(ISender sender) : PageModel
{
    public IReadOnlyList<ListProducts.Row> Products { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Products = await sender.Send(new ListProducts.Query(), cancellationToken);
}
