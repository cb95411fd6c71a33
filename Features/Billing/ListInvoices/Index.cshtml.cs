using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;
using Portal.Features.Membership;

namespace Portal.Features.Billing;

[RequirePermission(Permission.Invoices)]
public sealed class ListInvoicesPage(ISender sender, AccountContext account) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public InvoiceStatus? Status { get; set; }

    [BindProperty(SupportsGet = true)] public string? Older { get; set; }

    [BindProperty(SupportsGet = true)] public string? Newer { get; set; }

    public KeysetPage<ListInvoices.Row> Invoices { get; private set; } = null!;

    public IEnumerable<KeyValuePair<string, string?>> Filters => [new("status", Status?.ToString())];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Invoices = await sender.Send(new ListInvoices.Query(account.RequireAccount().ClientId, Status is { } s && Enum.IsDefined(s) ? s : null, new PageRequest(Older, Newer)), cancellationToken);
}
