using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.RemoveClientUser;

public sealed class IndexModel(ISender sender) : AdminClientUserPage(sender)
{
    [BindProperty]
    public RemoveUser.RemoveUser.Command Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.ClientId = Id;
        Input.UserId = UserId;
        await Sender.Send(Input, cancellationToken);
        TempData.Success($"{Association.Email} no longer has access to {Association.ClientName}.");
        return RedirectToPage("/Admin/ClientUsers/Index", new { id = Id });
    }
}
