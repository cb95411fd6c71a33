using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Features.Identity;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Clients;

namespace Portal.Features.Membership;

public sealed class ClientUsersPage(ISender sender) : AdminClientPage(sender)
{
    public const int MatchLimit = 10;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty]
    public AssociateUser.Command Input { get; set; } = new();

    public KeysetPage<ListUsers.Row>? Matches { get; private set; }

    public UserManagement.Result Invitations { get; private set; } = null!;

    public TransferOwnership.Pending? PendingTransfer { get; private set; }

    /// <summary>The Send Invite toggle: invite the chosen user by e-mail instead of associating them at once.</summary>
    [BindProperty]
    public bool SendInvite { get; set; }

    // The form opens with All Permissions ticked, as every form that grants permissions does (the invite forms too).
    // Only here: a post binds what was ticked, and an unticked box is not sent at all.
    public void OnGet() => Input = new() { AllPermissions = true };

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.ClientId = Id;
        Input.SendInvite = SendInvite;
        var result = await Sender.Send(Input, cancellationToken);
        TempData.Success(result.InvitedEmail is { } email ? $"An invitation was sent to {email}." : "The user now has access to this account.");
        return RedirectToPage(new { id = Id });
    }

    [RefusalAsWarning]
    public async Task<IActionResult> OnPostResendAsync(int invitationId, CancellationToken cancellationToken)
    {
        var email = await Sender.Send(new ManageInvitation.Resend(Id, invitationId), cancellationToken);
        TempData.Success($"A new invitation was sent to {email}. The previous link no longer works.");
        return RedirectToPage(new { id = Id });
    }

    [RefusalAsWarning]
    public async Task<IActionResult> OnPostCancelTransferAsync(int transferId, CancellationToken cancellationToken)
    {
        await Sender.Send(new TransferOwnership.Cancel(Id, transferId), cancellationToken);
        TempData.Success("The ownership transfer is cancelled; both users were told by e-mail.");
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostSendResetAsync(int userId, CancellationToken cancellationToken)
    {
        if (Client.Users.SingleOrDefault(u => u.UserId == userId) is not { } user)
        {
            return NotFound();
        }

        await Sender.Send(new ForgotPassword.Command { Email = user.Email, ClientId = Id }, cancellationToken);
        TempData.Success($"A password reset email has been sent to {user.Email}.");
        return RedirectToPage(new { id = Id });
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (!await base.LoadAsync(cancellationToken))
        {
            return false;
        }

        Invitations = await Sender.Send(new UserManagement.Query(Id), cancellationToken);
        PendingTransfer = await Sender.Send(new TransferOwnership.PendingQuery(Id), cancellationToken);
        if (!string.IsNullOrWhiteSpace(Search))
        {
            var search = Search.Length > 200 ? Search[..200] : Search;
            Matches = await Sender.Send(new ListUsers.Query(search, Sort: null, false, PageRequest.First, MatchLimit), cancellationToken);
        }

        return true;
    }
}
