using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Web;

namespace Portal.Features.Membership;

public sealed class RemoveClientUserPage(ISender sender) : AdminClientUserPage(sender)
{
    [BindProperty]
    public RemoveUser.Command Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.ClientId = Id;
        Input.UserId = UserId;
        await Sender.Send(Input, cancellationToken);
        TempData.Success($"{Association.Email} no longer has access to {Association.ClientName}.");
        return RedirectToPage("/Membership/Admin/ClientUsers/Index", new { id = Id });
    }
}
