using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Shared;

namespace Portal.Features.Membership;

[RequireSignedIn]
public sealed class ChooseAccountPage(ISender sender) : PortalPage
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Older { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Newer { get; set; }

    public KeysetPage<ChooseAccount.AccountRow> Accounts { get; private set; } = null!;

    /// <summary>Whether the user has any account, whatever was searched for.</summary>
    public bool HasAny { get; private set; }

    /// <summary>The search box is offered once the accounts no longer fit on one page.</summary>
    public bool OffersSearch => !string.IsNullOrEmpty(Search) || Accounts.Older is not null || Accounts.Newer is not null;

    public IEnumerable<KeyValuePair<string, string?>> Filters => [new("q", Search), new("ReturnUrl", ReturnUrl)];

    public ChooseAccount.LostAccount? Lost { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(int clientId, CancellationToken cancellationToken)
    {
        var name = await sender.Send(new SwitchAccount.Command(clientId), cancellationToken);
        TempData.Success($"You are now working in {name}.");
        return LocalRedirect(LocalUrl.OrDefault(ReturnUrl));
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var search = Search is { Length: > SearchTerms.MaxLength } ? Search[..SearchTerms.MaxLength] : Search;
        (Accounts, HasAny, Lost) = await sender.Send(new ChooseAccount.Query(search, new PageRequest(Older, Newer)), cancellationToken);
        return true;
    }
}
