using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Features.Admin.ViewClient;
using Portal.Infrastructure.Mediator;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.InviteClientUser;

/// <summary>The admin invites an e-mail address to a client account: the same InviteUser use case as the owner's.</summary>
public sealed class IndexModel(ISender sender) : PageModel, IReloadOnInvalid
{
    [FromRoute]
    public int Id { get; set; }

    [BindProperty]
    public InviteUser.InviteUser.Command Input { get; set; } = new() { AllPermissions = true };

    public ClientSummary.Result Client { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        await sender.Send(new InviteUser.InviteUser.Command
        {
            ClientId = Id,
            Email = Input.Email,
            AllPermissions = Input.AllPermissions,
            Permissions = Input.Permissions,
        }, cancellationToken);
        TempData.Success($"An invitation was sent to {Input.Email!.Trim()}.");
        return RedirectToPage("/Admin/ClientUsers/Index", new { id = Id });
    }

    public async Task ReloadAsync() => await LoadAsync(HttpContext.RequestAborted);

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new ClientSummary.Query(Id), cancellationToken) is not { } client)
        {
            return false;
        }

        Client = client;
        return true;
    }
}
