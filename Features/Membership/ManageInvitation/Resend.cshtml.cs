using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;

namespace Portal.Features.Membership;

[RequireUserManagement]
[RefusalAsWarning("/Membership/UserManagement/Index")]
public sealed class ManageInvitationResendPage(ISender sender, AccountContext account) : PageModel
{
    public IActionResult OnGet() => NotFound();

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        var email = await sender.Send(new ManageInvitation.Resend(account.RequireAccount().ClientId, id), cancellationToken);
        TempData.Success($"A new invitation was sent to {email}. The previous link no longer works.");
        return RedirectToPage("/Membership/UserManagement/Index");
    }
}
