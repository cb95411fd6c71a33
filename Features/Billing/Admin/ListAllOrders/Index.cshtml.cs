using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;
using Portal.Features.Clients;

namespace Portal.Features.Billing;

public sealed class ListAllOrdersPage(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "client")] public string? Client { get; set; }
    [BindProperty(SupportsGet = true)] public OrderStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Older { get; set; }
    [BindProperty(SupportsGet = true)] public string? Newer { get; set; }

    public ListAllOrders.Result Result { get; private set; } = null!;

    public PickClient.Result Pick { get; private set; } = PickClient.Result.Empty;

    public int? ClientId => Pick.ClientId;

    public IEnumerable<KeyValuePair<string, string?>> Filters =>
        [new("client", ClientId?.ToString()), new("status", Status?.ToString()), new("from", From?.ToString("yyyy-MM-dd")), new("to", To?.ToString("yyyy-MM-dd"))];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Pick = await sender.Send(new PickClient.Query(Client), cancellationToken);
        Result = await sender.Send(new ListAllOrders.Query(ClientId, Status is { } s && Enum.IsDefined(s) ? s : null, From, To, new PageRequest(Older, Newer)), cancellationToken);
    }
}
