using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Features.Contacts.EditContact;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Mediator;
using Portal.Infrastructure.Web;

namespace Portal.Features.Contacts.DeleteContact;

[RequirePermission(Permission.Contacts)]
public sealed class IndexModel(ISender sender, AccountContext account) : PortalPage
{
    [FromRoute]
    public int Id { get; set; }

    [BindProperty]
    public DeleteContact.Command Input { get; set; } = new();

    public EditContact.EditContact.Command Contact { get; private set; } = null!;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.ContactId = Id;
        var name = await sender.Send(Input, cancellationToken);
        TempData.Success($"{name} was deleted from the contacts.");
        return RedirectToPage("/Contacts/ListContacts/Index");
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new EditContact.EditContact.Query(account.RequireAccount().ClientId, Id), cancellationToken) is not { } contact)
        {
            return false;
        }

        Contact = contact;
        return true;
    }
}
