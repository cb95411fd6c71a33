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

    public UserManagement.UserManagement.Result Invitations { get; private set; } = null!;

    /// <summary>The Send Invite toggle: invite the chosen user by e-mail instead of associating them at once.</summary>
    [BindProperty]
    public bool SendInvite { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Input.ClientId = Id;
        if (!SendInvite)
        {
            await sender.Send(Input, cancellationToken);
            TempData.Success("The user now has access to this account.");
            return RedirectToPage(new { id = Id });
        }

        var email = Matches?.Items.SingleOrDefault(m => m.Id == Input.UserId)?.Email;
        if (email is null)
        {
            throw Refuse.Because(nameof(Input.UserId), AssociateUser.UnknownUser);
        }

        try
        {
            await sender.Send(new InviteUser.InviteUser.Command { ClientId = Id, Email = email, AllPermissions = Input.AllPermissions, Permissions = Input.Permissions }, cancellationToken);
        }
        catch (FluentValidation.ValidationException e)
        {
            // The associate form has no e-mail field: the invitation's refusals belong beside the chosen user.
            throw Refuse.Because(nameof(Input.UserId), string.Join(" ", e.Errors.Select(x => x.ErrorMessage).Distinct()));
        }

        TempData.Success($"An invitation was sent to {email}.");
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostResendAsync(int invitationId, CancellationToken cancellationToken)
    {
        try
        {
            if (await sender.Send(new ManageInvitation.ManageInvitation.Resend(Id, invitationId), cancellationToken) is not { } email)
            {
                return NotFound();
            }

            TempData.Success($"A new invitation was sent to {email}. The previous link no longer works.");
        }
        catch (FluentValidation.ValidationException e)
        {
            TempData.Warning(e.Errors.First().ErrorMessage);
        }

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
        Invitations = await sender.Send(new UserManagement.UserManagement.Query(Id), cancellationToken);
        if (!string.IsNullOrWhiteSpace(Search))
        {
            var search = Search.Length > 200 ? Search[..200] : Search;
            Matches = await sender.Send(new ListUsers.Query(search, ListUsers.DefaultSort, false, 1, MatchLimit), cancellationToken);
        }

        return true;
    }
}
