using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Logout;

/// <summary>Ends the session on the server as well as in the browser, so a saved cookie cannot be replayed.</summary>
[AllowAnonymous]
public sealed class IndexModel(AccountContext account, ClientSignIn signIn, ActivityWriter activity, PortalDbContext db) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Login/Index");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (account.IsSignedIn)
        {
            activity.Record($"Logged out {account.Email}");
            await db.SaveChangesAsync(cancellationToken);
            await signIn.SignOutAsync(account.SessionId);
        }

        TempData.Success("You have been logged out.");
        return RedirectToPage("/Login/Index");
    }
}
