using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Membership;
using Portal.Features.Shared;

namespace Portal.Features.Billing;

[AccountObject<Order>]
[RequirePermission(Permission.Orders)]
public sealed class ViewOrderPage(ISender sender, AccountContext account) : PortalPage
{
    [FromRoute(Name = "id")]
    public int OrderId { get; set; }

    public ViewOrder.Details Order { get; private set; } = null!;

    /// <summary>The viewer's own identity verification, when this order waits for it.</summary>
    public Portal.Features.Identity.IdentityVerificationStatus? MyVerification { get; private set; }

    public bool MaySeeInvoices => account.RequireAccount().Has(Permission.Invoices);

    public void OnGet()
    {
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new ViewOrder.Query(account.RequireAccount().ClientId, OrderId), cancellationToken) is not { } order)
        {
            return false;
        }

        Order = order;
        if (Billing.Order.AwaitsVerification(order.Status) && order.UserId == account.UserId)
        {
            MyVerification = await sender.Send(new Portal.Features.Identity.VerifyIdentity.StatusQuery(), cancellationToken);
        }

        return true;
    }
}
