using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Settings;

public sealed class ChangeSettingsPage(ISender sender, SystemSettings settings, Microsoft.Extensions.Options.IOptions<Portal.Infrastructure.Email.PortalOptions> brand) : PageModel
{
    /// <summary>The portal's name, which invoices use when no company name is set.</summary>
    public string CompanyName => brand.Value.CompanyName;

    [BindProperty]
    public ChangeSettings.Command Input { get; set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Input = ChangeSettings.Command.From(await settings.GetAsync(cancellationToken));

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await sender.Send(Input, cancellationToken);
        TempData.Success("Settings saved.");
        return RedirectToPage();
    }
}
