using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Features.Shared;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

[AllowAnonymous]
[EnableRateLimiting(RateLimits.Auth)]
[ChecksPassword]
public sealed class LoginPage(ISender sender, AccountContext account) : PortalPage
{
    [BindProperty]
    public Login.Command Input { get; set; } = new();

    [BindProperty]
    public SignInWithPasskey.Command PasskeyInput { get; set; } = new();

    /// <summary>The options of a passkey sign-in for this browser, made afresh with every rendering of the page.</summary>
    public string? PasskeyOptions { get; private set; }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (!account.IsSignedIn)
        {
            PasskeyOptions = await sender.Send(new StartPasskeySignIn.Command(), cancellationToken);
        }

        return true;
    }

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

    public async Task<IActionResult> OnPostPasskeyAsync(CancellationToken cancellationToken)
    {
        var result = await sender.Send(PasskeyInput, cancellationToken);
        if (result.ActiveClientId is null)
        {
            return RedirectToPage("/Membership/ChooseAccount/Index", new { returnUrl = LocalUrl.IsSafe(ReturnUrl) ? ReturnUrl : null });
        }

        return LocalRedirect(LocalUrl.OrDefault(ReturnUrl));
    }
}
