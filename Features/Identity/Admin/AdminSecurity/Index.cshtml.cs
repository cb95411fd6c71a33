using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Features.Settings;
using Portal.Features.Shared;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

/// <summary>The admin's own second factor; reachable while the enforcement sends the admin here.</summary>
[ChecksPassword("Enable", "Regenerate", "Disable")]
[AllowedWithoutSecondFactor]
public sealed class AdminSecurityPage(ISender sender, SystemSettings settings) : PortalPage
{
    [BindProperty]
    public EnableAdminAuthenticator.Command EnableInput { get; set; } = new();

    [BindProperty]
    public RegenerateAdminRecoveryCodes.Command RegenerateInput { get; set; } = new();

    [BindProperty]
    public DisableAdminAuthenticator.Command DisableInput { get; set; } = new();

    public TwoFactorState TwoFactor { get; private set; } = null!;

    public bool Required { get; private set; }

    public IReadOnlyList<string>? NewRecoveryCodes { get; private set; }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        TwoFactor = await sender.Send(new AdminSecurity.Query(), cancellationToken);
        Required = (await settings.GetAsync(cancellationToken)).AdminTwoFactorRequired;
        return true;
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostStartAsync(CancellationToken cancellationToken)
    {
        await sender.Send(new StartAdminAuthenticator.Command(), cancellationToken);
        return RedirectToPage(null, null, "two-factor");
    }

    public async Task<IActionResult> OnPostEnableAsync(CancellationToken cancellationToken)
    {
        NewRecoveryCodes = await sender.Send(EnableInput, cancellationToken);
        await LoadAsync(cancellationToken);
        EnableInput = new();
        return Page();
    }

    public async Task<IActionResult> OnPostRegenerateAsync(CancellationToken cancellationToken)
    {
        NewRecoveryCodes = await sender.Send(RegenerateInput, cancellationToken);
        await LoadAsync(cancellationToken);
        RegenerateInput = new();
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync(CancellationToken cancellationToken)
    {
        await sender.Send(DisableInput, cancellationToken);
        TempData.Success("Two-factor authentication is off for your admin login.");
        return RedirectToPage();
    }
}
