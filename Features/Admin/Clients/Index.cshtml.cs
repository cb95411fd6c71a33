using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.Clients;

public sealed class IndexModel(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public ClientStatus? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Older { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Newer { get; set; }

    public KeysetPage<ListClients.Row> Clients { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            Status = null;
        }

        var search = Search is { Length: > 200 } ? Search[..200] : Search;
        Clients = await sender.Send(new ListClients.Query(search, Status, new PageRequest(Older, Newer)), cancellationToken);
    }
}
