using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Features.Shared;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Web;

namespace Portal.Features.Clients;

[RequireOwner]
[ChecksPassword]
public sealed class RequestClosurePage(ISender sender, AccountContext account) : PortalPage
{
    [BindProperty]
    public RequestClosure.Command Input { get; set; } = new();

    public RequestClosure.Pending? Waiting { get; private set; }

    public string AccountName => account.RequireAccount().DisplayName;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var name = AccountName;
        if (await sender.Send(Input, cancellationToken))
        {
            TempData.Success($"{name} is now closed.");
            return RedirectToPage("/Membership/ChooseAccount/Index");
        }

        TempData.Success($"Your request to close {name} was sent. The account stays open until it is approved; you will be told by e-mail.");
        return RedirectToPage();
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Waiting = await sender.Send(new RequestClosure.PendingQuery(account.RequireAccount().ClientId), cancellationToken);
        return true;
    }
}
