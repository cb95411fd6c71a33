using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;
using Portal.Features.Membership;

namespace Portal.Features.Support;

[RequirePermission(Permission.Tickets)]
public sealed class ListTicketsPage(ISender sender, AccountContext account) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Older { get; set; }

    [BindProperty(SupportsGet = true)] public string? Newer { get; set; }

    public KeysetPage<ListTickets.Row> Tickets { get; private set; } = null!;

    public IEnumerable<KeyValuePair<string, string?>> Filters => [new("status", TicketLabels.ParseStatus(Status)?.ToString())];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Tickets = await sender.Send(new ListTickets.Query(account.RequireAccount().ClientId, TicketLabels.ParseStatus(Status), new PageRequest(Older, Newer)), cancellationToken);
}
