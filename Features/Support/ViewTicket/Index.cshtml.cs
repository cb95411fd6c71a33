using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Membership;
using Portal.Features.Shared;

namespace Portal.Features.Support;

[AccountObject<Ticket>]
[RequirePermission(Permission.Tickets)]
public sealed class ViewTicketPage(ISender sender, AccountContext account) : PortalPage
{
    [FromRoute]
    public int Id { get; set; }

    [BindProperty]
    public ViewTicket.Reply Input { get; set; } = new();

    public ViewTicket.Thread Ticket { get; private set; } = null!;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.TicketId = Id;
        await sender.Send(Input, cancellationToken);
        TempData.Success("Your reply has been added.");
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostCloseAsync(CancellationToken cancellationToken)
    {
        await sender.Send(new ViewTicket.Close(Id), cancellationToken);
        TempData.Success("The ticket is closed. A new reply opens it again.");
        return RedirectToPage(new { id = Id });
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new ViewTicket.Query(account.RequireAccount().ClientId, Id, account.UserId), cancellationToken) is not { } ticket)
        {
            return false;
        }

        Ticket = ticket;
        return true;
    }
}
