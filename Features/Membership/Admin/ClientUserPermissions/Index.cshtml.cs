using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Web;

namespace Portal.Features.Membership;


public sealed class ClientUserPermissionsPage(ISender sender) : AdminClientUserPage(sender)
{
    [BindProperty]
    public ManagePermissions.Command Input { get; set; } = new();

    public string? ConflictMessage => ModelState.ErrorFor("Input.Version");

    public void OnGet() => ShowCurrent();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await Sender.Send(new ManagePermissions.Command
        {
            ClientId = Id,
            UserId = UserId,
            AllPermissions = Input.AllPermissions,
            Permissions = Input.Permissions,
            Version = Input.Version,
        }, cancellationToken);
        TempData.Success($"Permissions of {Association.Email} saved.");
        return RedirectToPage("/Membership/Admin/ClientUsers/Index", new { id = Id });
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (!await base.LoadAsync(cancellationToken))
        {
            return false;
        }

        if (ConflictMessage is not null)
        {
            // After a conflict the form shows what is stored now, with the version to save against.
            ShowCurrent();
        }

        return true;
    }

    private void ShowCurrent() =>
        Input = new ManagePermissions.Command { Version = Association.Version, Permissions = Association.Permissions.Keys.ToList(), AllPermissions = Association.Permissions.IsEvery };
}
