using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

[RequireSignedIn]
[ChecksPassword]
public sealed class ConfirmIdentityPage(ISender sender) : PageModel
{
    [BindProperty]
    public ConfirmIdentity.Command Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await sender.Send(Input, cancellationToken);
        TempData.Success("Thank you. You can go on.");
        return LocalRedirect(LocalUrl.OrDefault(ReturnUrl));
    }
}
