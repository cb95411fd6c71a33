using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

/// <summary>Both logout pages: a GET goes to the login page, a POST logs out and then goes there.</summary>
public abstract class SignOutPage(ISender sender, bool admin, string loginPage) : PageModel
{
    public IActionResult OnGet() => RedirectToPage(loginPage);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await sender.Send(new Logout.Command(admin), cancellationToken);
        TempData.Success("You have been logged out.");
        return RedirectToPage(loginPage);
    }
}
