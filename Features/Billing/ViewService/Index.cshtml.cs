using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Membership;
using Portal.Features.Shared;

namespace Portal.Features.Billing;

[RequirePermission(Permission.Products)]
public sealed class ViewServicePage(ISender sender, AccountContext account) : PortalPage
{
    [FromRoute(Name = "id")]
    public int ServiceId { get; set; }

    public ViewService.Details Service { get; private set; } = null!;

    public bool MayManageLogin => account.RequireAccount().Has(Permission.ManageProducts);

    public bool MayOrder => account.RequireAccount().Has(Permission.Orders);

    public void OnGet()
    {
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new ViewService.Query(account.RequireAccount().ClientId, ServiceId, MayManageLogin), cancellationToken) is not { } service)
        {
            return false;
        }

        Service = service;
        return true;
    }
}
