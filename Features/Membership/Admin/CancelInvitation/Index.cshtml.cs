using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Shared;

namespace Portal.Features.Membership;

/// <summary>The admin cancels a pending invitation of a client, after confirming; the invitee is not told.</summary>
public sealed class CancelInvitationPage(ISender sender) : PortalPage
{
    [FromRoute]
    public int Id { get; set; }

    [FromRoute]
    public int InvitationId { get; set; }

    public ManageInvitation.Summary Invitation { get; private set; } = null!;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var email = await sender.Send(new ManageInvitation.Cancel(Id, InvitationId), cancellationToken);
        TempData.Success($"The invitation to {email} was cancelled. Its link no longer works.");
        return RedirectToPage("/Membership/Admin/ClientUsers/Index", new { id = Id });
    }

    /// <summary>Only on the question: the post answers 404 itself when the invitation is no longer pending.</summary>
    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsGet(Request.Method) && !HttpMethods.IsHead(Request.Method))
        {
            return true;
        }

        Invitation = (await sender.Send(new ManageInvitation.Find(Id, InvitationId), cancellationToken))!;
        return Invitation is not null;
    }
}
