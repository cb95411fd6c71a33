using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Features.Identity;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;
using Portal.Features.Shared;

namespace Portal.Features.Clients;

public sealed class AddClientPage(ISender sender) : PortalPage
{
    public const int MatchLimit = 10;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty]
    public AddClient.Command Input { get; set; } = new();

    public KeysetPage<ListUsers.Row>? Matches { get; private set; }

    /// <summary>The owner search's button: it posts the whole form so the typed profile survives, and saves nothing.</summary>
    [BindProperty]
    public bool FindOwner { get; set; }

    public void OnGet() =>
        Input = new AddClient.Command { Owner = string.IsNullOrWhiteSpace(Search) ? AddClient.OwnerKind.NewUser : AddClient.OwnerKind.ExistingUser };

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (FindOwner)
        {
            if (!string.IsNullOrWhiteSpace(Search))
            {
                Input.Owner = AddClient.OwnerKind.ExistingUser;
            }

            return Page();
        }

        var result = await sender.Send(Input, cancellationToken);
        if (!result.SetPasswordMailQueued)
        {
            TempData.Warning($"The client account is ready, but the e-mail with a link to choose a password could not be queued for {Input.Email}: send a password reset from the Users tab.");
        }
        else
        {
            TempData.Success(Input.Owner == AddClient.OwnerKind.NewUser
                ? $"The client account is ready. {Input.Email} has been sent a link to choose a password."
                : "The client account is ready.");
        }

        return RedirectToPage("/Clients/Admin/ViewClient/Index", new { id = result.ClientId });
    }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(Search))
        {
            var search = Search.Length > 200 ? Search[..200] : Search;
            Matches = await sender.Send(new ListUsers.Query(search, Sort: null, false, PageRequest.First, MatchLimit), cancellationToken);
        }

        return true;
    }
}
