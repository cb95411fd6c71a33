using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

/// <summary>The verification link asks for one click (nothing changes on GET); signed-in users can ask for a new link here.</summary>
[AllowAnonymous]
[NoReferrer]
[EnableRateLimiting(RateLimits.Tokens)]
public sealed class VerifyEmailPage(ISender sender, AccountContext account) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")]
    public int UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public bool? Confirmed { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Confirmed = await sender.Send(new VerifyEmail.Confirm(UserId, Token), cancellationToken);
        if (Confirmed == true)
        {
            TempData.Success("Thank you: your email address is verified.");
            return account.IsSignedIn ? RedirectToPage("/Home/Welcome/Index") : RedirectToPage("/Identity/Login/Index");
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    public async Task<IActionResult> OnPostResendAsync(CancellationToken cancellationToken)
    {
        if (!account.IsSignedIn)
        {
            return RedirectToPage("/Identity/Login/Index");
        }

        if (await sender.Send(new VerifyEmail.SendLink(account.UserId), cancellationToken))
        {
            TempData.Success($"We sent a new verification link to {account.Email}. It is valid for 60 minutes.");
        }

        return LocalRedirect(LocalUrl.OrDefault(Request.Headers.Referer.ToString() is { Length: > 0 } referer && Uri.TryCreate(referer, UriKind.Absolute, out var uri) ? uri.PathAndQuery : null));
    }
}
