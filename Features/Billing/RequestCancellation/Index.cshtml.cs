using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Membership;
using Portal.Features.Shared;

namespace Portal.Features.Billing;

[RequirePermission(Permission.Orders)]
public sealed class RequestCancellationPage(ISender sender, AccountContext account) : PortalPage
{
    [FromRoute(Name = "id")]
    public int ServiceId { get; set; }

    [BindProperty]
    public RequestCancellation.Command Input { get; set; } = new();

    public RequestCancellation.Target Service { get; private set; } = null!;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Input.ClientId = account.RequireAccount().ClientId;
        Input.ServiceId = ServiceId;
        Input.UserId = account.UserId;
        await sender.Send(Input, cancellationToken);
        TempData.Success($"Your cancellation request for {Service.Name} was sent.");
        return account.RequireAccount().Has(Permission.Products) ? RedirectToPage("/Billing/ViewService/Index", new { id = ServiceId }) : RedirectToPage("/Home/Dashboard/Index");
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new RequestCancellation.Query(account.RequireAccount().ClientId, ServiceId), cancellationToken) is not { } service)
        {
            return false;
        }

        Service = service;
        return true;
    }
}
