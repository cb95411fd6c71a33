using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Shared;

namespace Portal.Features.Membership;

[RequireUserManagement]
[Identity.RequiresRecentProof]
public sealed class ManagePermissionsPage(ISender sender, AccountContext account) : PortalPage
{
    [BindProperty]
    public ManagePermissions.Command Input { get; set; } = new();

    [FromRoute]
    public int UserId { get; set; }

    public ManagePermissions.Current Target { get; private set; } = null!;

    public string? ConflictMessage => ModelState.ErrorFor("Input.Version");

    public IActionResult OnGet()
    {
        if (Target.IsOwner)
        {
            return NotFound();
        }

        ShowCurrent();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await sender.Send(new ManagePermissions.Command
        {
            ClientId = account.RequireAccount().ClientId,
            UserId = UserId,
            AllPermissions = Input.AllPermissions,
            Permissions = Input.Permissions,
            Version = Input.Version,
        }, cancellationToken);
        TempData.Success("Your changes have been saved. They apply from the user's next page view.");
        return RedirectToPage("/Membership/UserManagement/Index");
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new ManagePermissions.Query(account.RequireAccount().ClientId, UserId), cancellationToken) is not { } target)
        {
            return false;
        }

        Target = target;
        if (ConflictMessage is not null)
        {
            // After a conflict the form shows what is stored now, with the version to save against.
            ShowCurrent();
        }

        return true;
    }

    private void ShowCurrent() =>
        Input = new ManagePermissions.Command { Permissions = Target.Permissions.Keys.ToList(), AllPermissions = Target.Permissions.IsEvery, Version = Target.Version };
}
