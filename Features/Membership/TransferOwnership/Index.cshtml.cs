using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Features.Shared;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;

namespace Portal.Features.Membership;

[RequireUserManagement]
[ChecksPassword]
public sealed class TransferOwnershipPage(ISender sender, AccountContext account) : PortalPage
{
    [BindProperty]
    public TransferOwnership.Command Input { get; set; } = new();

    public TransferOwnership.Pending? Pending { get; private set; }

    public IReadOnlyList<TransferOwnership.Candidate> Candidates { get; private set; } = [];

    public string AccountName => account.RequireAccount().DisplayName;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var email = await sender.Send(Input, cancellationToken);
        TempData.Success($"We e-mailed {email} a link to accept the ownership of {AccountName}. You stay the owner until they accept it.");
        return RedirectToPage();
    }

    [RefusalAsWarning]
    public async Task<IActionResult> OnPostCancelAsync(int transferId, CancellationToken cancellationToken)
    {
        await sender.Send(new TransferOwnership.Cancel(account.RequireAccount().ClientId, transferId), cancellationToken);
        TempData.Success("The ownership transfer is cancelled and its link no longer works. You remain the owner.");
        return RedirectToPage();
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var clientId = account.RequireAccount().ClientId;
        Pending = await sender.Send(new TransferOwnership.PendingQuery(clientId), cancellationToken);
        Candidates = await sender.Send(new TransferOwnership.CandidatesQuery(clientId), cancellationToken);
        return true;
    }
}
