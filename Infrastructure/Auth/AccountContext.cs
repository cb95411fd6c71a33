using Portal.Infrastructure.Data;
using Portal.Features.Settings;
using Portal.Features.Membership;

namespace Portal.Infrastructure.Auth;

/// <summary>
/// Who the signed-in client user is and which account they are acting in, re-read from the database on every request.
/// Handlers of account-scoped commands take the client id from here, never from a form or a URL.
/// </summary>
public sealed class AccountContext
{
    public bool IsSignedIn { get; private set; }
    public int UserId { get; private set; }
    public string FirstName { get; private set; } = "";
    public string Email { get; private set; } = "";
    public bool EmailConfirmed { get; private set; }
    public string SessionId { get; private set; } = "";

    /// <summary>The IANA zone the user chose; null for the provider's default.</summary>
    public string? TimeZone { get; private set; }

    public ActiveAccount? Account { get; private set; }

    /// <summary>The client the cookie names, even when the user may no longer enter it.</summary>
    public int? RequestedClientId { get; private set; }

    public void SignIn(int userId, string firstName, string email, bool emailConfirmed, string sessionId, int? requestedClientId, ActiveAccount? account)
    {
        IsSignedIn = true;
        UserId = userId;
        FirstName = firstName;
        Email = email;
        EmailConfirmed = emailConfirmed;
        SessionId = sessionId;
        RequestedClientId = requestedClientId;
        Account = account;
    }

    public void UseTimeZone(string? timeZone) => TimeZone = timeZone;

    /// <summary>How many client accounts the user is associated with, open or closed, as the session check read them.</summary>
    public int AccountCount { get; private set; }

    public void UseAccountCount(int count) => AccountCount = count;

    public ActiveAccount RequireAccount() =>
        Account ?? throw new InvalidOperationException("This request has no active account.");
}

public sealed record ActiveAccount(int ClientId, string DisplayName, bool IsOwner, PermissionSet Permissions)
{
    public bool Has(Permission permission) => Permissions.Has(permission);

    /// <summary>Only the owner manages the account's users, and only while the admin has not disabled it for every account.</summary>
    public bool MayManageUsers(SettingsSnapshot settings) => IsOwner && !settings.UserManagementDisabled;
}

/// <summary>The signed-in admin of this request, re-read from the database on every request.</summary>
public sealed class AdminContext
{
    public bool IsSignedIn { get; private set; }
    public int AdminId { get; private set; }
    public string Name { get; private set; } = "";
    public string SessionId { get; private set; } = "";

    /// <summary>Whether the admin has a second factor (the enforcement of "Require two-factor authentication for admins" reads it).</summary>
    public bool TwoFactorEnabled { get; private set; }

    public void SignIn(int adminId, string name, string sessionId, bool twoFactorEnabled = false)
    {
        TwoFactorEnabled = twoFactorEnabled;
        IsSignedIn = true;
        AdminId = adminId;
        Name = name;
        SessionId = sessionId;
    }
}
