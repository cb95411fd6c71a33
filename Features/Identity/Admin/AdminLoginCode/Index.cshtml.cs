using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

/// <summary>The admin code page: the one page the half-signed-in admin cookie reaches.</summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.Auth)]
[ChecksPassword]
public sealed class AdminLoginCodePage(ISender sender, AdminSignIn signIn) : PageModel
{
    [BindProperty]
    public AdminLoginCode.Command Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await signIn.PendingAsync() is null)
        {
            return RedirectToPage("/Identity/Admin/AdminLogin/Index");
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
                return RedirectToPage("/Identity/Admin/AdminLogin/Index");
            case CodeStepOutcome.WrongCode:
                ModelState.AddModelError("Input.Code", Authenticator.WrongCode);
                return Page();
            case CodeStepOutcome.LockedOut:
                ModelState.AddModelError("", TwoFactorText.LockedOut);
                return Page();
        }

        if (result.RecoveryCodesLeft is { } left)
        {
            TempData.Warning($"You signed in with a recovery code. {Plural.Of(left, "recovery code")} left: make new ones on Security.");
        }

        return LocalRedirect(AdminReturnUrl.Of(ReturnUrl));
    }
}
