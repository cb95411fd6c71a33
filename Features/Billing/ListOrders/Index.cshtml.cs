using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;
using Portal.Features.Membership;

namespace Portal.Features.Billing;

[RequirePermission(Permission.Orders)]
public sealed class ListOrdersPage(ISender sender, AccountContext account) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public OrderStatus? Status { get; set; }

    [BindProperty(SupportsGet = true)] public string? Older { get; set; }

    [BindProperty(SupportsGet = true)] public string? Newer { get; set; }

    public KeysetPage<ListOrders.Row> Orders { get; private set; } = null!;

    /// <summary>Whether the user may open the order's invoice (the invoices permission is separate from orders).</summary>
    public bool SeesInvoices => account.RequireAccount().Has(Permission.Invoices);

    public IEnumerable<KeyValuePair<string, string?>> Filters => [new("status", Status?.ToString())];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Orders = await sender.Send(new ListOrders.Query(account.RequireAccount().ClientId, Status is { } s && Enum.IsDefined(s) ? s : null, new PageRequest(Older, Newer)), cancellationToken);
}
