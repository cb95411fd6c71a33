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
public sealed class EditContactPage(ISender sender, AccountContext account) : PortalPage
{
    [FromRoute]
    public int Id { get; set; }

    [BindProperty]
    public EditContact.Command Input { get; set; } = new();

    public string Name { get; private set; } = "";

    public bool SupportLocked => !account.RequireAccount().Has(Permission.Tickets);

    private EditContact.Command Stored { get; set; } = null!;

    public void OnGet() => Input = Stored;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.ContactId = Id;
        await sender.Send(Input, cancellationToken);
        TempData.Success($"{Input.Name!.Trim()} was saved.");
        return RedirectToPage("/Support/ListContacts/Index");
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new EditContact.Query(account.RequireAccount().ClientId, Id), cancellationToken) is not { } stored)
        {
            return false;
        }

        Stored = stored;
        Name = stored.Name!;
        return true;
    }
}
