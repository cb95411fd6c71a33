using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Features.Admin.ManageUsers;
using Portal.Features.Admin.ViewClient;
using Portal.Infrastructure.Mediator;
using Portal.Infrastructure.Web;

namespace Portal.Features.Admin.ClientUsers;

public sealed class IndexModel(ISender sender) : PageModel, IReloadOnInvalid
{
    public const int MatchLimit = 10;

    [FromRoute]
    public int Id { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty]
    public AssociateUser.Command Input { get; set; } = new();

    public ClientSummary.Result Client { get; private set; } = null!;

    public Paged<ListUsers.Row>? Matches { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Input.ClientId = Id;
        await sender.Send(Input, cancellationToken);
        TempData.Success("The user now has access to this account.");
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostSendResetAsync(int userId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken) || Client.Users.SingleOrDefault(u => u.UserId == userId) is not { } user)
        {
            return NotFound();
        }

        await sender.Send(new ForgotPassword.ForgotPassword.Command { Email = user.Email, ClientId = Id }, cancellationToken);
        TempData.Success($"A password reset email has been sent to {user.Email}.");
        return RedirectToPage(new { id = Id });
    }

    public async Task ReloadAsync() => await LoadAsync(HttpContext.RequestAborted);

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await sender.Send(new ClientSummary.Query(Id), cancellationToken) is not { } client)
        {
            return false;
        }

        Client = client;
        if (!string.IsNullOrWhiteSpace(Search))
        {
            var search = Search.Length > 200 ? Search[..200] : Search;
            Matches = await sender.Send(new ListUsers.Query(search, ListUsers.DefaultSort, false, 1, MatchLimit), cancellationToken);
        }

        return true;
    }
}
