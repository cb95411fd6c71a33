using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;
using Portal.Features.Membership;

namespace Portal.Features.Support;

[RequirePermission(Permission.Contacts)]
public sealed class AddContactPage(ISender sender, AccountContext account) : PageModel
{
    [BindProperty]
    public AddContact.Command Input { get; set; } = new();

    public bool SupportLocked => !account.RequireAccount().Has(Permission.Tickets);

    public void OnGet() => Input = new AddContact.Command { Support = !SupportLocked };

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await sender.Send(Input, cancellationToken);
        TempData.Success($"{Input.Name!.Trim()} was added to the contacts. We sent {Input.Email!.Trim()} a link to confirm the address.");
        return RedirectToPage("/Support/ListContacts/Index");
    }
}
