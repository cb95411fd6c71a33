using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Web;
using Portal.Features.Clients;

namespace Portal.Features.Membership;

/// <summary>The admin invites an e-mail address to a client account: the same InviteUser use case as the owner's.</summary>
public sealed class InviteClientUserPage(ISender sender, Infrastructure.Dates.ViewerDates dates) : AdminClientPage(sender)
{
    [BindProperty]
    public InviteUser.Command Input { get; set; } = new() { AllPermissions = true };

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var sent = await Sender.Send(new InviteUser.Command
        {
            ClientId = Id,
            Email = Input.Email,
            AllPermissions = Input.AllPermissions,
            Permissions = Input.Permissions,
        }, cancellationToken);
        TempData.Success($"An invitation was sent to {Input.Email!.Trim()}. The link works until {dates.DateTime(sent.ExpiresAt)}.");
        return RedirectToPage("/Membership/Admin/ClientUsers/Index", new { id = Id });
    }
}
