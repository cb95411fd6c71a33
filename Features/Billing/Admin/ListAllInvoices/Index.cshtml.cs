using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;
using Portal.Features.Clients;

namespace Portal.Features.Billing;

public sealed class ListAllInvoicesPage(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public InvoiceStatus? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Overdue { get; set; }

    [BindProperty(SupportsGet = true, Name = "client")]
    public string? Client { get; set; }

    public PickClient.Result Pick { get; private set; } = PickClient.Result.Empty;

    public int? ClientId => Pick.ClientId;

    [BindProperty(SupportsGet = true)]
    public string? Older { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Newer { get; set; }

    public KeysetPage<ListAllInvoices.Row> Invoices { get; private set; } = null!;

    public IEnumerable<KeyValuePair<string, string?>> Filters => [new("status", Status?.ToString()), new("overdue", Overdue ? "true" : null), new("client", ClientId?.ToString())];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Pick = await sender.Send(new PickClient.Query(Client), cancellationToken);
        Invoices = await sender.Send(new ListAllInvoices.Query(Status is { } s && Enum.IsDefined(s) ? s : null, ClientId, new PageRequest(Older, Newer), Overdue), cancellationToken);
    }
}
