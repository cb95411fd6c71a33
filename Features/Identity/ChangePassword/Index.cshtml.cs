using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

[RequireSignedIn]
[ChecksPassword]
public sealed class ChangePasswordPage(ISender sender) : PageModel
{
    [BindProperty]
    public ChangePassword.Command Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await sender.Send(Input, cancellationToken);
        TempData.Success("Your password was changed. Every other device signed in with it was signed out.");
        return RedirectToPage();
    }
}
