using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Web;

namespace Portal.Features.Membership;

[RequireUserManagement]
public sealed class InviteUserPage(ISender sender, AccountContext account, Infrastructure.Dates.ViewerDates dates) : PageModel
{
    [BindProperty]
    public InviteUser.Command Input { get; set; } = new() { AllPermissions = true };

    public string AccountName => account.RequireAccount().DisplayName;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var command = new InviteUser.Command
        {
            ClientId = account.RequireAccount().ClientId,
            Email = Input.Email,
            AllPermissions = Input.AllPermissions,
            Permissions = Input.Permissions,
        };
        var sent = await sender.Send(command, cancellationToken);
        TempData.Success($"An invitation was sent to {command.Email!.Trim()}. The link works until {dates.DateTime(sent.ExpiresAt)}.");
        return RedirectToPage("/Membership/UserManagement/Index");
    }
}
