using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Shared;

namespace Portal.Features.Setup;

[AllowAnonymous]
[NoReferrer]
[EnableRateLimiting(RateLimits.Tokens)]
public sealed class AdminSetupPage(ISender sender) : PortalPage
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public CreateAdmin.ViaSetupLink Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.Token = Token;
        await sender.Send(Input, cancellationToken);
        TempData.Success("Your admin login is ready. Please log in.");
        return RedirectToPage("/Identity/Admin/AdminLogin/Index");
    }

    /// <summary>A dead link answers 404 before the form is even read.</summary>
    public override async Task<bool> LoadAsync(CancellationToken cancellationToken) => await sender.Send(new AdminSetupLink.Check(Token), cancellationToken);
}
