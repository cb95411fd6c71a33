using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Membership;
using Portal.Features.Shared;

namespace Portal.Features.Support;

[RequirePermission(Permission.Contacts)]
public sealed class DeleteContactPage(ISender sender, AccountContext account) : PortalPage
{
    [FromRoute]
    public int Id { get; set; }

    [BindProperty]
    public DeleteContact.Command Input { get; set; } = new();

    public EditContact.Command Contact { get; private set; } = null!;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.ContactId = Id;
        var name = await sender.Send(Input, cancellationToken);
        TempData.Success($"{name} was deleted from the contacts.");
        return RedirectToPage("/Support/ListContacts/Index");
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new EditContact.Query(account.RequireAccount().ClientId, Id), cancellationToken) is not { } contact)
        {
            return false;
        }

        Contact = contact;
        return true;
    }
}
