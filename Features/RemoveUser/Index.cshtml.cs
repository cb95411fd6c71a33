using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Features.ManagePermissions;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Mediator;
using Portal.Infrastructure.Web;

namespace Portal.Features.RemoveUser;

[RequireUserManagement]
public sealed class IndexModel(ISender sender, AccountContext account) : PageModel, IReloadOnInvalid
{
    [FromRoute]
    public int UserId { get; set; }

    public ManagePermissions.ManagePermissions.Current? Target { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync();
        return Target is { IsOwner: false } ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var email = await sender.Send(new RemoveUser.Command(account.RequireAccount().ClientId, UserId), cancellationToken);
        if (email is null)
        {
            return NotFound();
        }

        TempData.Success($"{email} no longer has access to this account.");
        return RedirectToPage("/UserManagement/Index");
    }

    public async Task ReloadAsync() =>
        Target = await sender.Send(new ManagePermissions.ManagePermissions.Query(account.RequireAccount().ClientId, UserId), HttpContext.RequestAborted);
}
