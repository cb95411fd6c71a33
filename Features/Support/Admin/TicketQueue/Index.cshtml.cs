using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Web;
using Portal.Features.Clients;

namespace Portal.Features.Support;

public sealed class TicketQueuePage(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Department { get; set; }
    [BindProperty(SupportsGet = true)] public string? Client { get; set; }
    [BindProperty(SupportsGet = true, Name = "q")] public string? Search { get; set; }
    [BindProperty(SupportsGet = true)] public string? Older { get; set; }
    [BindProperty(SupportsGet = true)] public string? Newer { get; set; }

    public TicketQueue.Result Queue { get; private set; } = null!;

    public int? DepartmentId => int.TryParse(Department, out var id) ? id : null;

    public PickClient.Result Pick { get; private set; } = PickClient.Result.Empty;

    public int? ClientId => Pick.ClientId;

    public IEnumerable<KeyValuePair<string, string?>> Filters =>
        [new("status", TicketLabels.IsAwaitingReply(Status) ? TicketLabels.AwaitingReply : TicketLabels.ParseStatus(Status)?.ToString()), new("department", DepartmentId?.ToString()), new("client", ClientId?.ToString()), new("q", Search)];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Pick = await sender.Send(new PickClient.Query(Client), cancellationToken);
        var search = Search is { Length: > 200 } ? Search[..200] : Search;
        Queue = await sender.Send(new TicketQueue.Query(TicketLabels.ParseStatus(Status), DepartmentId, ClientId, search, new PageRequest(Older, Newer), TicketLabels.IsAwaitingReply(Status)), cancellationToken);
    }
}
