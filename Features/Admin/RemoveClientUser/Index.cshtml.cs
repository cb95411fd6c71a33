using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Mediator;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.RemoveClientUser;

public sealed class IndexModel(ISender sender) : PageModel, IReloadOnInvalid
{
    [FromRoute]
    public int Id { get; set; }

    [FromRoute]
    public int UserId { get; set; }

    [BindProperty]
    public ConfirmForm Input { get; set; } = new();

    public Portal.Features.ManagePermissions.ManagePermissions.Current Association { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (!Input.Confirm)
        {
            ModelState.AddModelError("Input.Confirm", "Tick the box to confirm the removal.");
            return Page();
        }

        if (await sender.Send(new RemoveUser.RemoveUser.Command(Id, UserId), cancellationToken) is null)
        {
            return NotFound();
        }

        TempData.Success($"{Association.Email} no longer has access to {Association.ClientName}.");
        return RedirectToPage("/Admin/ClientUsers/Index", new { id = Id });
    }

    public async Task ReloadAsync() => await LoadAsync(HttpContext.RequestAborted);

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new Portal.Features.ManagePermissions.ManagePermissions.Query(Id, UserId), cancellationToken) is not { } association)
        {
            return false;
        }

        Association = association;
        return true;
    }
}

public sealed class ConfirmForm
{
    public bool Confirm { get; init; }
}
