using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;

namespace Portal.Features.Home;

[AllowAnonymous]
public sealed class WelcomePage(AccountContext account) : PageModel
{
    public IActionResult OnGet() =>
        account.IsSignedIn ? RedirectToPage(account.Account is null ? "/Membership/ChooseAccount/Index" : "/Home/Dashboard/Index") : Page();
}
