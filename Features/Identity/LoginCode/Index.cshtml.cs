using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Features.Shared;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

/// <summary>The code page of a two-factor login: the one page the half-signed-in cookie reaches.</summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.Auth)]
[ChecksPassword]
public sealed class LoginCodePage(ISender sender, ClientSignIn signIn) : PortalPage
{
    [BindProperty]
    public LoginCode.Command Input { get; set; } = new();

    [BindProperty]
    public SignInWithPasskey.Command PasskeyInput { get; set; } = new();

    /// <summary>The options of a passkey of this login as the second factor, when it has one.</summary>
    public string? PasskeyOptions { get; private set; }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        PasskeyOptions = await sender.Send(new StartPasskeySignIn.Command(AsSecondFactor: true), cancellationToken);
        return true;
    }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await signIn.PendingAsync() is null)
        {
            return RedirectToPage("/Identity/Login/Index", new { returnUrl = LocalUrl.IsSafe(ReturnUrl) ? ReturnUrl : null });
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await sender.Send(Input, cancellationToken);
        switch (result.Outcome)
        {
            case CodeStepOutcome.Expired:
                TempData.Warning(TwoFactorText.SignInAgain);
                return RedirectToPage("/Identity/Login/Index", new { returnUrl = LocalUrl.IsSafe(ReturnUrl) ? ReturnUrl : null });
            case CodeStepOutcome.WrongCode:
                ModelState.AddModelError("Input.Code", Authenticator.WrongCode);
                return Page();
            case CodeStepOutcome.LockedOut:
                ModelState.AddModelError("", TwoFactorText.LockedOut);
                return Page();
        }

        if (result.RecoveryCodesLeft is { } left)
        {
            TempData.Warning($"You signed in with a recovery code. {Plural.Of(left, "recovery code")} left: make new ones on Security and Sessions.");
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
