using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Mediator;
using Portal.Infrastructure.Web;
using ManageInvitationUseCase = Portal.Features.ManageInvitation.ManageInvitation;

namespace Portal.Features.Admin.CancelInvitation;

/// <summary>The admin cancels a pending invitation of a client, after confirming; the invitee is not told.</summary>
public sealed class IndexModel(ISender sender) : PortalPage
{
    [FromRoute]
    public int Id { get; set; }

    [FromRoute]
    public int InvitationId { get; set; }

    public ManageInvitationUseCase.Summary Invitation { get; private set; } = null!;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var email = await sender.Send(new ManageInvitationUseCase.Cancel(Id, InvitationId), cancellationToken);
        TempData.Success($"The invitation to {email} was cancelled. Its link no longer works.");
        return RedirectToPage("/Admin/ClientUsers/Index", new { id = Id });
    }

    /// <summary>Only on the question: the post answers 404 itself when the invitation is no longer pending.</summary>
    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsGet(Request.Method) && !HttpMethods.IsHead(Request.Method))
        {
            return true;
        }

        Invitation = (await sender.Send(new ManageInvitationUseCase.Find(Id, InvitationId), cancellationToken))!;
        return Invitation is not null;
    }
}
