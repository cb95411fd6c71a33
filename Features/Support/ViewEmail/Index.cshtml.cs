using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Membership;
using Portal.Features.Shared;

namespace Portal.Features.Support;

[RequirePermission(Permission.Emails)]
public sealed class ViewEmailPage(ISender sender, AccountContext account) : PortalPage
{
    [FromRoute]
    public long Id { get; set; }

    public ViewEmail.Email Email { get; private set; } = null!;

    public void OnGet()
    {
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new ViewEmail.Query(account.RequireAccount().ClientId, Id, account.RequireAccount().Has(Permission.Tickets)), cancellationToken) is not { } email)
        {
            return false;
        }

        Email = email;
        return true;
    }
}
