using Mediator;
using Microsoft.AspNetCore.Mvc;
using Portal.Features.Shared;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Pipeline;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

[RequireSignedIn]
[ChecksPassword("Enable", "Regenerate", "Disable")]
public sealed class UserSecurityPage(ISender sender) : PortalPage
{
    [BindProperty]
    public SignOutSession.Command SignOutInput { get; set; } = new();

    [BindProperty]
    public EnableAuthenticator.Command EnableInput { get; set; } = new();

    [BindProperty]
    public RegenerateRecoveryCodes.Command RegenerateInput { get; set; } = new();

    [BindProperty]
    public DisableAuthenticator.Command DisableInput { get; set; } = new();

    [BindProperty]
    public AddPasskey.Command PasskeyInput { get; set; } = new();

    [BindProperty]
    public RemovePasskey.Command RemovePasskeyInput { get; set; } = new();

    public UserSecurity.Result Security { get; private set; } = null!;

    /// <summary>New recovery codes, shown in the answer to the post that made them and never again.</summary>
    public IReadOnlyList<string>? NewRecoveryCodes { get; private set; }

    public override async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Security = await sender.Send(new UserSecurity.Query(), cancellationToken);
        return true;
    }

    public void OnGet()
    {
    }

    /// <summary>A stolen session must not be able to bind the login to someone else's app: setting one up asks for a recent proof.</summary>
    [RequiresRecentProof]
    public async Task<IActionResult> OnPostStartAsync(CancellationToken cancellationToken)
    {
        await sender.Send(new StartAuthenticator.Command(), cancellationToken);
        return RedirectToPage(null, null, "two-factor");
    }

    [RequiresRecentProof]
    public async Task<IActionResult> OnPostEnableAsync(CancellationToken cancellationToken)
    {
        NewRecoveryCodes = await sender.Send(EnableInput, cancellationToken);
        await LoadAsync(cancellationToken);
        EnableInput = new();
        return Page();
    }

    public async Task<IActionResult> OnPostRegenerateAsync(CancellationToken cancellationToken)
    {
        NewRecoveryCodes = await sender.Send(RegenerateInput, cancellationToken);
        await LoadAsync(cancellationToken);
        RegenerateInput = new();
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync(CancellationToken cancellationToken)
    {
        await sender.Send(DisableInput, cancellationToken);
        TempData.Success("Two-factor authentication is off. Your login now needs only your password.");
        return RedirectToPage();
    }

    /// <summary>A stolen session must not be able to add its own passkey to the login: adding one asks for a recent proof.</summary>
    [RequiresRecentProof]
    public async Task<IActionResult> OnPostStartPasskeyAsync(CancellationToken cancellationToken)
    {
        await sender.Send(new StartPasskey.Command(), cancellationToken);
        return RedirectToPage(null, null, "passkeys");
    }

    [RequiresRecentProof]
    public async Task<IActionResult> OnPostAddPasskeyAsync(CancellationToken cancellationToken)
    {
        await sender.Send(PasskeyInput, cancellationToken);
        TempData.Success($"The passkey \"{PasskeyInput.Name!.Trim()}\" was added. You can now sign in with it, without your password.");
        return RedirectToPage(null, null, "passkeys");
    }

    [RefusalAsWarning]
    public async Task<IActionResult> OnPostRemovePasskeyAsync(CancellationToken cancellationToken)
    {
        var name = await sender.Send(RemovePasskeyInput, cancellationToken);
        TempData.Success($"The passkey \"{name}\" was removed. It no longer signs you in.");
        return RedirectToPage(null, null, "passkeys");
    }

    [RefusalAsWarning]
    public async Task<IActionResult> OnPostSignOutAsync(CancellationToken cancellationToken)
    {
        await sender.Send(SignOutInput, cancellationToken);
        TempData.Success("That session has been signed out.");
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostSignOutOthersAsync(CancellationToken cancellationToken)
    {
        var ended = await sender.Send(new SignOutOtherSessions.Command(), cancellationToken);
        TempData.Success(ended == 0 ? "No other session was signed in." : $"Signed out everywhere else ({Plural.Of(ended, "session")} ended).");
        return RedirectToPage();
    }
}
