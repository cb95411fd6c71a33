using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Web;

namespace Portal.Features.Clients;

public sealed class ViewClientPage(ISender sender) : AdminClientPage(sender)
{
    [BindProperty]
    public UpdateClient.Command Input { get; set; } = new();

    public void OnGet()
    {
        var p = Client.Profile;
        Input = new UpdateClient.Command
        {
            FirstName = p.FirstName, LastName = p.LastName, CompanyName = p.CompanyName, Email = p.Email, Address1 = p.Address1,
            City = p.City, State = p.State, Postcode = p.Postcode, Country = p.Country, Phone = p.Phone, Status = Client.Status,
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.ClientId = Id;
        await Sender.Send(Input, cancellationToken);
        TempData.Success("The client profile has been saved.");
        return RedirectToPage(new { id = Id });
    }
}
