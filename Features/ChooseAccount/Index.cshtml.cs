using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Mediator;
using Portal.Infrastructure.Web;

namespace Portal.Features.ChooseAccount;

[RequireSignedIn]
public sealed class IndexModel(ISender sender) : PortalPage
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public IReadOnlyList<ChooseAccount.AccountRow> Accounts { get; private set; } = [];

    public ChooseAccount.LostAccount? Lost { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(int clientId, CancellationToken cancellationToken)
    {
        var name = await sender.Send(new SwitchAccount.SwitchAccount.Command(clientId), cancellationToken);
        TempData.Success($"You are now working in {name}.");
        return LocalRedirect(LocalUrl.OrDefault(ReturnUrl));
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        (Accounts, Lost) = await sender.Send(new ChooseAccount.Query(), cancellationToken);
        return true;
    }
}
