using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

public sealed class DeleteUserPage(ISender sender) : AdminUserPage(sender)
{
    [BindProperty]
    public DeleteUser.Command Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.UserId = Id;
        await Sender.Send(Input, cancellationToken);
        TempData.Success($"User {Details.Email} has been permanently deleted.");
        return RedirectToPage("/Identity/Admin/ManageUsers/Index");
    }
}
