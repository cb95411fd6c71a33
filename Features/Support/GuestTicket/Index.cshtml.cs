using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Shared;

namespace Portal.Features.Support;

[AllowAnonymous]
[EnableRateLimiting(RateLimits.GuestTickets)]
public sealed class GuestTicketPage(ISender sender) : PortalPage
{
    [BindProperty]
    public GuestTicket.Command Input { get; set; } = new();

    public IReadOnlyList<OpenTicket.Department> Departments { get; private set; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var opened = await sender.Send(Input, cancellationToken);
        TempData.Success($"Your ticket {opened.Reference} has been opened. We sent a private link to {opened.Email}: use it to read our answers and reply, and keep {opened.Reference} when you write to us about it.");
        return RedirectToPage();
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Departments = await sender.Send(new OpenTicket.Departments(), cancellationToken);
        return true;
    }
}
