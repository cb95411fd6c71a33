using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Web;
using ManageInvitationUseCase = Portal.Features.ManageInvitation.ManageInvitation;

namespace Portal.Features.Admin.CancelInvitation;

/// <summary>The admin cancels a pending invitation of a client, after confirming; the invitee is not told.</summary>
public sealed class IndexModel(ISender sender) : PageModel
{
    [FromRoute]
    public int Id { get; set; }

    [FromRoute]
    public int InvitationId { get; set; }

    public ManageInvitationUseCase.Summary Invitation { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new ManageInvitationUseCase.Find(Id, InvitationId), cancellationToken) is not { } invitation)
        {
            return NotFound();
        }

        Invitation = invitation;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new ManageInvitationUseCase.Cancel(Id, InvitationId), cancellationToken) is not { } email)
        {
            return NotFound();
        }

        TempData.Success($"The invitation to {email} was cancelled. Its link no longer works.");
        return RedirectToPage("/Admin/ClientUsers/Index", new { id = Id });
    }
}
