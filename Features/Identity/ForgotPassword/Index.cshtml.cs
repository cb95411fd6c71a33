using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

[AllowAnonymous]
[EnableRateLimiting(RateLimits.Auth)]
public sealed class ForgotPasswordPage(ISender sender) : PageModel
{
    public const string Sent = "If an account exists for that address, we have sent a link to reset its password. Check your inbox.";

    [BindProperty]
    public ForgotPassword.Command Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await sender.Send(Input, cancellationToken);
        TempData.Success(Sent);
        return RedirectToPage();
    }
}
