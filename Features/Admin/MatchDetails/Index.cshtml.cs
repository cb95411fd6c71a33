using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Mediator;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.MatchDetails;

public sealed class IndexModel(ISender sender) : PageModel, IReloadOnInvalid
{
    [FromRoute]
    public int Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public MatchDetails.Direction Direction { get; set; }

    [BindProperty]
    public MatchDetails.Command Input { get; set; } = new();

    public MatchDetails.Preview Preview { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        ModelState.IsValid && await LoadAsync(Direction, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(Input.Direction, cancellationToken))
        {
            return NotFound();
        }

        Input.ClientId = Id;
        await sender.Send(Input, cancellationToken);
        TempData.Success(Input.Direction == MatchDetails.Direction.UserToClient
            ? "The owner's name and email have been copied to the client profile."
            : "The client profile's name and email have been copied to the owner's login.");
        return RedirectToPage("/Admin/ViewClient/Index", new { id = Id });
    }

    public async Task ReloadAsync() => await LoadAsync(Enum.IsDefined(Input.Direction) ? Input.Direction : Direction, HttpContext.RequestAborted);

    private async Task<bool> LoadAsync(MatchDetails.Direction direction, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(direction) || await sender.Send(new MatchDetails.Query(Id, direction), cancellationToken) is not { } preview)
        {
            return false;
        }

        Preview = preview;
        return true;
    }
}
