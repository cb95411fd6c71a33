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
        if (!await sender.Send(Input, cancellationToken))
        {
            ModelState.AddModelError("", AdminLogin.Failure);
            return Page();
        }

        return LocalRedirect(ReturnUrl?.StartsWith("/admin", StringComparison.Ordinal) == true ? LocalUrl.OrDefault(ReturnUrl, "/admin") : "/admin");
    }
}
