using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.Logout;

[AllowAnonymous]
public sealed class IndexModel(AdminContext admin, AdminSignIn signIn, ActivityWriter activity, PortalDbContext db) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Admin/Login/Index");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (admin.IsSignedIn)
        {
            activity.Record($"Admin {admin.Name} logged out");
            await db.SaveChangesAsync(cancellationToken);
            await signIn.SignOutAsync(admin.SessionId);
        }

        TempData.Success("You have been logged out.");
        return RedirectToPage("/Admin/Login/Index");
    }
}
