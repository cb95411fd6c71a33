using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Web;

namespace Portal.Features.Membership;

[RequireUserManagement]
public sealed class ManageInvitationCancelPage(ISender sender, AccountContext account) : PageModel
{
    public ManageInvitation.Summary Invitation { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        var invitation = await sender.Send(new ManageInvitation.Find(account.RequireAccount().ClientId, id), cancellationToken);
        if (invitation is null)
        {
            return NotFound();
        }

        Invitation = invitation;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        var email = await sender.Send(new ManageInvitation.Cancel(account.RequireAccount().ClientId, id), cancellationToken);
        TempData.Success($"The invitation to {email} was cancelled. Its link no longer works.");
        return RedirectToPage("/Membership/UserManagement/Index");
    }
}
