using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

[AllowAnonymous]
[EnableRateLimiting(RateLimits.Auth)]
public sealed class RegisterPage(ISender sender, AccountContext account) : PageModel
{
    [BindProperty]
    public Register.Command Input { get; set; } = new();

    public bool IsSignedIn => account.IsSignedIn;

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
