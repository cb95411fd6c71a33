using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

[AllowAnonymous]
[NoReferrer]
[EnableRateLimiting(RateLimits.Tokens)]
public sealed class ResetPasswordPage(ISender sender) : PageModel
{
    [BindProperty]
    public ResetPassword.Command Input { get; set; } = new();

    public bool LinkIsValid { get; private set; } = true;

    public async Task OnGetAsync(int user, string? token, CancellationToken cancellationToken)
    {
        LinkIsValid = await sender.Send(new ResetPassword.CheckLink(user, token), cancellationToken);
        Input = new ResetPassword.Command { UserId = user, Token = token };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await sender.Send(Input, cancellationToken);
        if (!result.FirstPassword)
        {
            TempData.Success("Your password has been changed. Log in with your new password.");
            return RedirectToPage("/Identity/Login/Index");
        }

        TempData.Success("Your password is set, and you are logged in. Welcome!");
        return result.ClientId is null ? RedirectToPage("/Membership/ChooseAccount/Index") : RedirectToPage("/Home/Dashboard/Index");
    }
}
