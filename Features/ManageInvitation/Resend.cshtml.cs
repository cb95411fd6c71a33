using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Web;

namespace Portal.Features.ManageInvitation;

[RequireUserManagement]
public sealed class ResendModel(ISender sender, AccountContext account) : PageModel
{
    public IActionResult OnGet() => NotFound();

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            var email = await sender.Send(new ManageInvitation.Resend(account.RequireAccount().ClientId, id), cancellationToken);
            if (email is null)
            {
                return NotFound();
            }

            TempData.Success($"A new invitation was sent to {email}. The previous link no longer works.");
        }
        catch (FluentValidation.ValidationException e)
        {
            TempData.Warning(e.Errors.First().ErrorMessage);
        }

        return RedirectToPage("/UserManagement/Index");
    }
}
