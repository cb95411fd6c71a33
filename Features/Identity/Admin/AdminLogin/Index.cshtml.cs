using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

[AllowAnonymous]
[EnableRateLimiting(RateLimits.Auth)]
[ChecksPassword]
public sealed class AdminLoginPage(ISender sender) : PageModel
{
    [BindProperty]
    public AdminLogin.Command Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        switch (await sender.Send(Input, cancellationToken))
        {
            case AdminLogin.Outcome.Failed:
                ModelState.AddModelError("", AdminLogin.Failure);
                return Page();
            case AdminLogin.Outcome.NeedsSecondFactor:
                return RedirectToPage("/Identity/Admin/AdminLoginCode/Index", new { returnUrl = AdminReturnUrl.Of(ReturnUrl) });
        }

        return LocalRedirect(AdminReturnUrl.Of(ReturnUrl));
    }
}
