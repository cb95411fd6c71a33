using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Features.Membership;

namespace Portal.Features.Support;

[RequirePermission(Permission.Contacts)]
public sealed class ListContactsPage(ISender sender, AccountContext account) : PageModel
{
    public IReadOnlyList<ListContacts.Row> Contacts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Contacts = await sender.Send(new ListContacts.Query(account.RequireAccount().ClientId), cancellationToken);

    [RefusalAsWarning]
    public async Task<IActionResult> OnPostResendAsync(int contactId, CancellationToken cancellationToken)
    {
        var email = await sender.Send(new ListContacts.Resend(contactId), cancellationToken);
        TempData.Success($"A new confirmation link was sent to {email}. The previous link no longer works.");
        return RedirectToPage();
    }
}
