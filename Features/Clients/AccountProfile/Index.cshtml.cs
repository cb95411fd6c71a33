using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;
using Portal.Features.Membership;

namespace Portal.Features.Clients;

[RequirePermission(Permission.Profile)]
public sealed class AccountProfilePage(ISender sender, AccountContext account) : PageModel
{
    /// <summary>Only the owner may ask for the account to be closed.</summary>
    public bool IsOwner => account.Account?.IsOwner == true;

    [BindProperty]
    public AccountProfile.Command Input { get; set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken) => Input = await sender.Send(new AccountProfile.Query(), cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await sender.Send(Input, cancellationToken);
        TempData.Success("The account profile was saved.");
        return RedirectToPage();
    }
}
