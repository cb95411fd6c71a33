using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Web;

namespace Portal.Features.Membership;

[RequireAccount]
public sealed class LeaveAccountPage(ISender sender, AccountContext account) : PageModel
{
    [BindProperty]
    public LeaveAccount.Command Input { get; set; } = new();

    public ActiveAccount Active => account.RequireAccount();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await sender.Send(Input, cancellationToken);
        if (result.NowIn is { } now)
        {
            TempData.Success($"You left {result.LeftName}. You are now working in {now}.");
            return RedirectToPage("/Home/Dashboard/Index");
        }

        TempData.Success($"You left {result.LeftName}.");
        return RedirectToPage("/Membership/ChooseAccount/Index");
    }
}
