using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;
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
}
