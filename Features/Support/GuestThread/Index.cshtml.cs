using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Shared;

namespace Portal.Features.Support;

[AllowAnonymous]
[NoReferrer]
[EnableRateLimiting(RateLimits.Tokens)]
public sealed class GuestThreadPage(ISender sender) : PortalPage
{
    /// <summary>The link's secret, kept out of the request path by <see cref="TokenPathRedaction"/>.</summary>
    public string? Token => TokenPathRedaction.TokenOf(HttpContext);

    [BindProperty]
    public GuestThread.Reply Input { get; set; } = new();

    public GuestThread.Thread Ticket { get; private set; } = null!;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.Token = Token;
        await sender.Send(Input, cancellationToken);
        TempData.Success("Your reply has been added.");
        // Not LocalRedirect: its executor logs the address it redirects to, and this address holds the secret.
        Response.Headers.Location = GuestTicketLink.PathFor(Uri.EscapeDataString(Token ?? ""));
        return StatusCode(StatusCodes.Status302Found);
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new GuestThread.Query(Token), cancellationToken) is not { } ticket)
        {
            return false;
        }

        Ticket = ticket;
        return true;
    }
}
