using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Identity;

/// <summary>A login's second factor as its security page shows it: off, being set up (a key waiting for its first code), or on.</summary>
public sealed record TwoFactorState(bool Enabled, int RecoveryCodesLeft, TwoFactorEnrolment? Enrolment);

/// <summary>A key waiting for its first code: as a QR code (inline SVG drawn on the server) and as text.</summary>
public sealed record TwoFactorEnrolment(string Key, string QrSvg);

/// <summary>What the two-factor pages say when they refuse.</summary>
public static class TwoFactorText
{
    public const string AlreadyOn = "Two-factor authentication is already on.";
    public const string NotOn = "Two-factor authentication is not on.";
    public const string StartAgain = "Set up the authenticator app again: the key was not found.";
    public const string WrongEnrolmentCode = "That code does not match. Check that the app shows the account you just added, and enter its current code.";
    public const string WrongPassword = "That is not your password.";
    public const string SignInAgain = "Your sign-in took too long or has ended. Please log in again.";
    public const string LockedOut = "Too many wrong codes: this login is locked for a while. Try again later, or choose a new password with \"Forgot your password?\".";
}

/// <summary>How the code step of a two-factor login (client or admin) ended.</summary>
public enum CodeStepOutcome
{
    SignedIn,
    WrongCode,
    LockedOut,
    Expired,
}

/// <summary>Where an admin goes after logging in: a local path in the admin area, else the admin home.</summary>
public static class AdminReturnUrl
{
    public static string Of(string? returnUrl) =>
        returnUrl?.StartsWith("/admin", StringComparison.Ordinal) == true ? Portal.Infrastructure.Web.LocalUrl.OrDefault(returnUrl, "/admin") : "/admin";
}

/// <summary>
/// Changes to a login's second factor, whoever makes them, in the unit of work of the change (one save, all or nothing).
/// </summary>
public static class TwoFactorReset
{
    /// <summary>Turns the second factor off: no key, no recovery codes, no flag.</summary>
    public static async Task ForUserAsync(PortalDbContext db, User user, CancellationToken cancellationToken)
    {
        user.TwoFactorEnabled = false;
        user.AuthenticatorLastStep = null;
        db.RecoveryCodes.RemoveRange(await db.RecoveryCodes.Where(c => c.UserId == user.Id).ToListAsync(cancellationToken));
        db.UserTokens.RemoveRange(await db.UserTokens
            .Where(t => t.UserId == user.Id && t.LoginProvider == UserAuthenticatorKey.Provider && t.Name == UserAuthenticatorKey.Name)
            .ToListAsync(cancellationToken));
    }

    /// <summary>The ten new codes replace every earlier one, used or not.</summary>
    public static async Task ReplaceRecoveryCodesAsync(PortalDbContext db, int userId, IEnumerable<string> codes, CancellationToken cancellationToken)
    {
        db.RecoveryCodes.RemoveRange(await db.RecoveryCodes.Where(c => c.UserId == userId).ToListAsync(cancellationToken));
        db.RecoveryCodes.AddRange(codes.Select(c => RecoveryCode.ForUser(userId, c)));
    }
}

/// <summary>
/// Where Identity keeps a user's authenticator key (its token store, read by <see cref="UserManager{TUser}.GetAuthenticatorKeyAsync"/>);
/// Portal stores the key protected (<see cref="Authenticator.Protect"/>).
/// </summary>
public static class UserAuthenticatorKey
{
    public const string Provider = "[AspNetUserStore]";
    public const string Name = "AuthenticatorKey";

    public static async Task<string?> ReadAsync(UserManager<User> users, Authenticator authenticator, User user) =>
        authenticator.Unprotect(await users.GetAuthenticatorKeyAsync(user));

    public static async Task WriteAsync(UserManager<User> users, Authenticator authenticator, User user, string key) =>
        (await users.SetAuthenticationTokenAsync(user, Provider, Name, authenticator.Protect(key))).RefuseUnlessSucceeded("", "");
}



/// <summary>An admin's recovery codes: ten new ones replace every earlier one, in the unit of work of the change.</summary>
public static class AdminRecoveryCodes
{
    public static async Task<IReadOnlyList<string>> ReplaceAsync(PortalDbContext db, int adminId, CancellationToken cancellationToken)
    {
        var codes = RecoveryCode.NewCodes();
        db.RecoveryCodes.RemoveRange(await db.RecoveryCodes.Where(c => c.AdminId == adminId).ToListAsync(cancellationToken));
        db.RecoveryCodes.AddRange(codes.Select(c => RecoveryCode.ForAdmin(adminId, c)));
        return codes;
    }
}
