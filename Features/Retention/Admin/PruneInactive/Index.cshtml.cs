using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Shared;

namespace Portal.Features.Retention;

[RequireAdmin]
public sealed class PruneInactivePage(ISender sender) : PortalPage
{
    /// <summary>The period to preview; the setting's when not given.</summary>
    [BindProperty(SupportsGet = true)]
    public int? Months { get; set; }

    [BindProperty]
    public PruneInactive.RunNow Input { get; set; } = new();

    public PruneInactive.Overview Overview { get; private set; } = null!;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await sender.Send(Input, cancellationToken);
        TempData.Success("The data-retention run has started. Its summary appears below when it is done.");
        return RedirectToPage();
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Overview = await sender.Send(new PruneInactive.Query(Months), cancellationToken);
        return true;
    }
}
