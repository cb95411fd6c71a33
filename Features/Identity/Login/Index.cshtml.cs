using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

[AllowAnonymous]
[EnableRateLimiting(RateLimits.Auth)]
[ChecksPassword]
public sealed class LoginPage(ISender sender, AccountContext account) : PageModel
{
    [BindProperty]
    public Login.Command Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public IActionResult OnGet()
    {
        if (account.IsSignedIn)
        {
            return Redirect(LocalUrl.OrDefault(ReturnUrl));
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await sender.Send(Input, cancellationToken);
        if (result.NeedsSecondFactor)
        {
            return RedirectToPage("/Identity/LoginCode/Index", new { returnUrl = LocalUrl.IsSafe(ReturnUrl) ? ReturnUrl : null });
        }

        if (!result.Succeeded)
        {
            ModelState.AddModelError("", Credentials.Failure);
            return Page();
        }

        if (result.ActiveClientId is null)
        {
            return RedirectToPage("/Membership/ChooseAccount/Index", new { returnUrl = LocalUrl.IsSafe(ReturnUrl) ? ReturnUrl : null });
        }

        return LocalRedirect(LocalUrl.OrDefault(ReturnUrl));
    }
}
