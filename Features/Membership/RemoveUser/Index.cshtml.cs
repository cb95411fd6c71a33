using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Shared;

namespace Portal.Features.Membership;

[RequireUserManagement]
public sealed class RemoveUserPage(ISender sender, AccountContext account) : PortalPage
{
    [FromRoute]
    public int UserId { get; set; }

    public ManagePermissions.Current? Target { get; private set; }

    public IActionResult OnGet() => Target is { IsOwner: false } ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // The owner's page is the question itself: its one Remove button is the confirmation.
        var email = await sender.Send(new RemoveUser.Command { ClientId = account.RequireAccount().ClientId, UserId = UserId, Confirm = true }, cancellationToken);
        TempData.Success($"{email} no longer has access to this account.");
        return RedirectToPage("/Membership/UserManagement/Index");
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Target = await sender.Send(new ManagePermissions.Query(account.RequireAccount().ClientId, UserId), cancellationToken);
        return Target is not null;
    }
}
