using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Web;
using Portal.Features.Settings;
using Portal.Features.Shared;

namespace Portal.Features.Identity;

[AllowAnonymous]
[EnableRateLimiting(RateLimits.Auth)]
public sealed class RegisterPage(ISender sender, AccountContext account, SystemSettings settings) : PageModel
{
    [BindProperty]
    public Register.Command Input { get; set; } = new();

    public bool IsSignedIn => account.IsSignedIn;

    /// <summary>A new login's time zone, filled with the browser's own (site.js) and open to change.</summary>
    public TimeZoneFieldView TimeZoneField => new($"{nameof(Input)}.{nameof(Input.TimeZone)}", Input.TimeZone, settings.Get().DefaultTimeZone, FromBrowser: true);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (account.IsSignedIn)
        {
            Input = await sender.Send(new Register.Prefill(), cancellationToken);
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if ((await sender.Send(Input, cancellationToken)).ClientId is null)
        {
            ModelState.AddModelError($"{nameof(Input)}.{nameof(Input.Email)}", Register.EmailTaken);
            return Page();
        }

        TempData.Success(account.IsSignedIn ? "Your new account is ready and is now your active account." : "Welcome! Your account is ready.");
        return RedirectToPage("/Home/Dashboard/Index");
    }
}
