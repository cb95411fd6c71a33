using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Features.Admin.ManageUser;
using Portal.Infrastructure.Mediator;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.DeleteUser;

public sealed class IndexModel(ISender sender) : PageModel, IReloadOnInvalid
{
    [BindProperty]
    public DeleteUser.Command Input { get; set; } = new();

    [FromRoute]
    public int Id { get; set; }

    public UserDetails.Result Details { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Input.UserId = Id;
        await sender.Send(Input, cancellationToken);
        TempData.Success($"User {Details.Email} has been permanently deleted.");
        return RedirectToPage("/Admin/ManageUsers/Index");
    }

    public async Task ReloadAsync() => await LoadAsync(HttpContext.RequestAborted);

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new UserDetails.Query(Id), cancellationToken) is not { } details)
        {
            return false;
        }

        Details = details;
        return true;
    }
}
