using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Features.Shared;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Web;

namespace Portal.Features.Membership;

/// <summary>
/// The ownership transfer link: which account, offered by whom, until when, and one Accept button for the user it was
/// offered to. Anyone else, and any used, cancelled or expired link, gets the same neutral page; state and expiry are
/// checked on every GET and POST. Signed out: a way to log in and come back.
/// </summary>
[AllowAnonymous]
[NoReferrer]
[EnableRateLimiting(RateLimits.Tokens)]
public sealed class AcceptTransferPage(ISender sender, AccountContext account) : PortalPage
{
    /// <summary>The link's secret, kept out of the request path by <see cref="TokenPathRedaction"/>.</summary>
    public string? Token => TokenPathRedaction.TokenOf(HttpContext);

    public AcceptTransfer.Offer? Offer { get; private set; }

    public bool IsSignedIn => account.IsSignedIn;

    /// <summary>Where the login page sends the user back to: this link.</summary>
    public string LinkPath => TokenPathRedaction.OwnershipPrefix + Uri.EscapeDataString(Token ?? "");

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var name = await sender.Send(new AcceptTransfer.Command(Token), cancellationToken);
        TempData.Success($"You are now the owner of {name}.");
        return RedirectToPage("/Membership/UserManagement/Index");
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (!account.IsSignedIn)
        {
            return HttpMethods.IsGet(Request.Method);
        }

        Offer = await sender.Send(new AcceptTransfer.Query(Token), cancellationToken);
        return Offer is not null;
    }

    /// <summary>No pending transfer for this user matches the link: the same neutral page for every reason.</summary>
    public override IActionResult Missing()
    {
        Offer = null;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
