using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Mediator;
using Portal.Infrastructure.Web;

namespace Portal.Features.ManagePermissions;

[RequireUserManagement]
public sealed class IndexModel(ISender sender, AccountContext account) : PageModel, IReloadOnInvalid
{
    [BindProperty]
    public ManagePermissions.Command Input { get; set; } = new();

    [FromRoute]
    public int UserId { get; set; }

    public ManagePermissions.Current Target { get; private set; } = null!;

    public string? ConflictMessage => ModelState.ErrorFor("Input.Version");

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is not { } target)
        {
            return NotFound();
        }

        ShowCurrent(target);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var command = new ManagePermissions.Command
        {
            ClientId = account.RequireAccount().ClientId,
            UserId = UserId,
            AllPermissions = Input.AllPermissions,
            Permissions = Input.Permissions,
            Version = Input.Version,
        };
        if (!await sender.Send(command, cancellationToken))
        {
            return NotFound();
        }

        TempData.Success("Your changes have been saved. They apply from the user's next page view.");
        return RedirectToPage("/UserManagement/Index");
    }

    public async Task ReloadAsync()
    {
        if (await LoadAsync(HttpContext.RequestAborted) is { } target && ConflictMessage is not null)
        {
            // After a conflict the form shows what is stored now, with the version to save against.
            ShowCurrent(target);
        }
    }

    private void ShowCurrent(ManagePermissions.Current target) =>
        Input = new ManagePermissions.Command { Permissions = target.Permissions.Keys.ToList(), AllPermissions = target.Permissions.IsEvery, Version = target.Version };

    private async Task<ManagePermissions.Current?> LoadAsync(CancellationToken cancellationToken)
    {
        var target = await sender.Send(new ManagePermissions.Query(account.RequireAccount().ClientId, UserId), cancellationToken);
        if (target is { IsOwner: false })
        {
            Target = target;
            return target;
        }

        return null;
    }
}
