using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Membership;
using Portal.Features.Shared;

namespace Portal.Features.Support;

[RequirePermission(Permission.Tickets)]
public sealed class OpenTicketPage(ISender sender) : PortalPage
{
    [BindProperty]
    public OpenTicket.Command Input { get; set; } = new();

    public IReadOnlyList<OpenTicket.Department> Departments { get; private set; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var id = await sender.Send(Input, cancellationToken);
        TempData.Success("Your ticket has been opened. We will answer here and by e-mail.");
        return RedirectToPage("/Support/ViewTicket/Index", new { id });
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Departments = await sender.Send(new OpenTicket.Departments(), cancellationToken);
        return true;
    }
}
