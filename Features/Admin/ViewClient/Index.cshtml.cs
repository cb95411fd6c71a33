using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Mediator;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.ViewClient;

public sealed class IndexModel(ISender sender) : PageModel, IReloadOnInvalid
{
    [FromRoute]
    public int Id { get; set; }

    [BindProperty]
    public UpdateClient.Command Input { get; set; } = new();

    public ClientSummary.Result Client { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        var p = Client.Profile;
        Input = new UpdateClient.Command
        {
            FirstName = p.FirstName, LastName = p.LastName, CompanyName = p.CompanyName, Email = p.Email, Address1 = p.Address1,
            City = p.City, State = p.State, Postcode = p.Postcode, Country = p.Country, Phone = p.Phone, Status = Client.Status,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Input.ClientId = Id;
        await sender.Send(Input, cancellationToken);
        TempData.Success("The client profile has been saved.");
        return RedirectToPage(new { id = Id });
    }

    public async Task ReloadAsync() => await LoadAsync(HttpContext.RequestAborted);

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new ClientSummary.Query(Id), cancellationToken) is not { } client)
        {
            return false;
        }

        Client = client;
        return true;
    }
}
