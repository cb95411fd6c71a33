using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Web;

namespace Portal.Features.Membership;

public sealed class MakeOwnerPage(ISender sender) : AdminClientUserPage(sender)
{
    [BindProperty]
    public MakeOwner.Command Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.ClientId = Id;
        Input.UserId = UserId;
        await Sender.Send(Input, cancellationToken);
        TempData.Success($"{Association.Email} is now the owner of {Association.ClientName}.");
        return RedirectToPage("/Membership/Admin/ClientUsers/Index", new { id = Id });
    }
}
