using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Membership;
using Portal.Features.Shared;

namespace Portal.Features.Billing;

[AccountObject<Invoice>]
[RequirePermission(Permission.Invoices)]
public sealed class ViewInvoicePage(ISender sender, AccountContext account) : PortalPage
{
    [FromRoute(Name = "id")]
    public int InvoiceId { get; set; }

    public ViewInvoice.Details Invoice { get; private set; } = null!;

    public void OnGet()
    {
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new ViewInvoice.Query(account.RequireAccount().ClientId, InvoiceId), cancellationToken) is not { } invoice)
        {
            return false;
        }

        Invoice = invoice;
        return true;
    }
}
