using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;

namespace Portal.Features.Clients;

public sealed class ViewClientPage(ISender sender) : AdminClientPage(sender)
{
    [BindProperty]
    public UpdateClient.Command Input { get; set; } = new();

    public RequestClosure.Pending? ClosureRequest { get; private set; }

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

    [RefusalAsWarning]
    public async Task<IActionResult> OnPostApproveClosureAsync(CancellationToken cancellationToken)
    {
        await Sender.Send(new RequestClosure.Approve(Id), cancellationToken);
        TempData.Success("The account is closed; its owner was told by e-mail.");
        return RedirectToPage(new { id = Id });
    }

    [RefusalAsWarning]
    public async Task<IActionResult> OnPostRejectClosureAsync(CancellationToken cancellationToken)
    {
        await Sender.Send(new RequestClosure.Reject(Id), cancellationToken);
        TempData.Success("The closure request was rejected and the account stays open; its owner was told by e-mail.");
        return RedirectToPage(new { id = Id });
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (!await base.LoadAsync(cancellationToken))
        {
            return false;
        }

        ClosureRequest = await Sender.Send(new RequestClosure.PendingQuery(Id), cancellationToken);
        return true;
    }
}
