using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Mediator;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.ClientUserPermissions;

public sealed class IndexModel(ISender sender) : PageModel, IReloadOnInvalid
{
    [FromRoute]
    public int Id { get; set; }

    [FromRoute]
    public int UserId { get; set; }

    [BindProperty]
    public ChangePermissions.Command Input { get; set; } = new();

    public ChangePermissions.Form Association { get; private set; } = null!;

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

        Input.ClientId = Id;
        Input.UserId = UserId;
        await sender.Send(Input, cancellationToken);
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
        Input = new ChangePermissions.Command { Version = Association.Version, Permissions = Association.Permissions.Keys.ToList() };

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new ChangePermissions.Query(Id, UserId), cancellationToken) is not { } association)
        {
            return false;
        }

        Association = association;
        return true;
    }
}
