using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Shared;

namespace Portal.Features.Clients;

public sealed class MatchDetailsPage(ISender sender) : PortalPage
{
    [FromRoute]
    public int Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public MatchDetails.Direction Direction { get; set; }

    [BindProperty]
    public MatchDetails.Command Input { get; set; } = new();

    public MatchDetails.Preview Preview { get; private set; } = null!;

    public IActionResult OnGet() => ModelState.IsValid ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.ClientId = Id;
        await sender.Send(Input, cancellationToken);
        TempData.Success(Input.Direction == MatchDetails.Direction.UserToClient
            ? "The owner's name and email have been copied to the client profile."
            : "The client profile's name and email have been copied to the owner's login.");
        return RedirectToPage("/Clients/Admin/ViewClient/Index", new { id = Id });
    }

    /// <summary>The preview of the direction posted, or on a GET the one in the query string.</summary>
    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var direction = HttpMethods.IsGet(Request.Method) || HttpMethods.IsHead(Request.Method) ? Direction : Input.Direction;
        if (!Enum.IsDefined(direction) || await sender.Send(new MatchDetails.Query(Id, direction), cancellationToken) is not { } preview)
        {
            return false;
        }

        Preview = preview;
        return true;
    }
}
