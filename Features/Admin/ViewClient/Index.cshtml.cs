using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Portal.Features.Admin.ViewClient;

public sealed class IndexModel(ISender sender) : PageModel
{
    public ClientSummary.Result Client { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        var client = await sender.Send(new ClientSummary.Query(id), cancellationToken);
        if (client is null)
        {
            return NotFound();
        }

        Client = client;
        return Page();
    }
}
