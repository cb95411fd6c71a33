using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Mediator;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.ClientUserPermissions;

using ManagePermissions = Portal.Features.ManagePermissions;

public sealed class IndexModel(ISender sender) : PageModel, IReloadOnInvalid
{
    [FromRoute]
    public int Id { get; set; }

    [FromRoute]
    public int UserId { get; set; }

    [BindProperty]
    public ManagePermissions.ManagePermissions.Command Input { get; set; } = new();

    public ManagePermissions.ManagePermissions.Current Association { get; private set; } = null!;

    public string? ConflictMessage => ModelState.ErrorFor("Input.Version");

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        ShowCurrent();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        await sender.Send(new ManagePermissions.ManagePermissions.Command
        {
            ClientId = Id,
            UserId = UserId,
            AllPermissions = Input.AllPermissions,
            Permissions = Input.Permissions,
            Version = Input.Version,
        }, cancellationToken);
        TempData.Success($"Permissions of {Association.Email} saved.");
        return RedirectToPage("/Admin/ClientUsers/Index", new { id = Id });
    }

    public async Task ReloadAsync()
    {
        await LoadAsync(HttpContext.RequestAborted);
        if (ConflictMessage is not null)
        {
            // After a conflict the form shows what is stored now, with the version to save against.
            ShowCurrent();
        }
    }

    private void ShowCurrent() =>
        Input = new ManagePermissions.ManagePermissions.Command { Version = Association.Version, Permissions = Association.Permissions.Keys.ToList(), AllPermissions = Association.Permissions.IsEvery };

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new ManagePermissions.ManagePermissions.Query(Id, UserId), cancellationToken) is not { } association)
        {
            return false;
        }

        Association = association;
        return true;
    }
}
