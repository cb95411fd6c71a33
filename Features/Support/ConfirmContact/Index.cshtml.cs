using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Infrastructure.Web;

namespace Portal.Features.Support;

/// <summary>The contact's confirmation link: one button; nothing changes on GET.</summary>
[AllowAnonymous]
[NoReferrer]
[EnableRateLimiting(RateLimits.Tokens)]
public sealed class ConfirmContactPage(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public ConfirmContact.Pending? Pending { get; private set; }

    public bool Confirmed { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Pending = await sender.Send(new ConfirmContact.Query(Token), cancellationToken);
        if (Pending is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Pending = await sender.Send(new ConfirmContact.Query(Token), cancellationToken);
        Confirmed = Pending is not null && await sender.Send(new ConfirmContact.Command(Token), cancellationToken);
        if (!Confirmed)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Page();
    }
}
