using Portal.Infrastructure.Email.Templates;

namespace Portal.Features.Identity;

/// <summary>The link to choose a new password, asked for on the forgot-password page or sent by an admin.</summary>
public sealed record PasswordResetMail(string FirstName, string Email, string Link, TimeSpan Lifetime) : ISecretLinkMail
{
    public MailContent Compose(MailBrand brand) => new(
        $"Reset your {brand.CompanyName} password",
        $"Hello {FirstName},",
        [$"A password reset was requested for your {brand.CompanyName} login {Email}."],
        new MailAction("Choose a new password", Link),
        [$"The link works once, for {brand.For(Lifetime)}. If you did not ask for this, ignore this e-mail: your password stays as it is."],
        $"You received this e-mail because a password reset was requested for {Email}.");
}

/// <summary>
/// The welcome of an owner whose login an admin created with a new client account, and the link to their first
/// password: one mail, since there is nothing to log in with before it.
/// </summary>
public sealed record SetPasswordMail(string FirstName, string Email, string ClientName, string Link, string ForgotPasswordLink, TimeSpan Lifetime) : ISecretLinkMail
{
    public MailContent Compose(MailBrand brand) => new(
        $"Welcome to {brand.CompanyName}: set your password",
        $"Hello {FirstName},",
        [$"Welcome! The account {ClientName} has been opened at {brand.CompanyName} with you as its owner. Your login is {Email}: choose its password to get started."],
        new MailAction("Choose your password", Link),
        [$"The link works once, for {brand.For(Lifetime)}. If the link has expired, ask for a new one at {ForgotPasswordLink}"],
        $"You received this e-mail because {brand.CompanyName} opened the account {ClientName} with {Email} as its owner.");
}

/// <summary>The link that confirms an e-mail address, on registration and on a change of address.</summary>
public sealed record VerifyEmailMail(string FirstName, string Email, string Link, TimeSpan Lifetime) : ISecretLinkMail
{
    public MailContent Compose(MailBrand brand) => new(
        "Please verify your email address",
        $"Hello {FirstName},",
        [$"Please confirm that {Email} is your email address by opening this link."],
        new MailAction("Verify my email address", Link),
        [$"The link is valid for {brand.For(Lifetime)}. If you did not ask for it, you can ignore this e-mail."],
        $"You received this e-mail because {Email} was given as the address of a {brand.CompanyName} login.");
}

/// <summary>The notice that a password was changed with a reset link.</summary>
public sealed record PasswordChangedMail(string FirstName, string Email, string ForgotPasswordLink) : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        $"Your {brand.CompanyName} password was changed",
        $"Hello {FirstName},",
        [$"The password of your {brand.CompanyName} login {Email} was just changed, and every device signed in with it was signed out."],
        new MailAction("Reset your password", ForgotPasswordLink),
        ["If this was not you, reset your password at once."],
        $"You received this e-mail because the password of {Email} was changed.");
}

/// <summary>Sent once per lockout of a client login: someone may be guessing the password; a reset link lifts the lock.</summary>
public sealed record LockoutMail(string FirstName, string Email, TimeSpan LockedFor, int Failures, string ResetLink, TimeSpan LinkLifetime) : ISecretLinkMail
{
    public MailContent Compose(MailBrand brand) => new(
        $"Your {brand.CompanyName} login was locked after failed attempts",
        $"Hello {FirstName},",
        [$"Your {brand.CompanyName} login {Email} was locked for {brand.For(LockedFor)} after {Failures} wrong passwords in a row. If that was not you, someone may be trying to guess your password.",
            "You can still log in from a browser you have logged in with before. To lift the lock now, choose a new password."],
        new MailAction("Choose a new password", ResetLink),
        [$"The link works once, for {brand.For(LinkLifetime)}."],
        $"You received this e-mail because of failed log-ins to {Email}.");
}

/// <summary>
/// Sent once per lockout of a client login by wrong codes at the second step: the password was right, so whoever tried
/// knows it. A reset link lifts the lock and ends every session.
/// </summary>
public sealed record CodeLockoutMail(string FirstName, string Email, TimeSpan LockedFor, int Failures, string ResetLink, TimeSpan LinkLifetime) : ISecretLinkMail
{
    public MailContent Compose(MailBrand brand) => new(
        $"Your {brand.CompanyName} login was locked after wrong two-factor codes",
        $"Hello {FirstName},",
        [$"Your {brand.CompanyName} login {Email} was locked for {brand.For(LockedFor)} after {Failures} wrong two-factor codes in a row. Each attempt came after the right password.",
            "If that was not you, someone knows your password: choose a new one now. That lifts the lock and signs out every session."],
        new MailAction("Choose a new password", ResetLink),
        [$"The link works once, for {brand.For(LinkLifetime)}."],
        $"You received this e-mail because of failed log-ins to {Email}.");
}

/// <summary>Sent once per lockout of an admin login; admins still sign in from a browser they used before.</summary>
public sealed record AdminLockoutMail(string FirstName, string Email, TimeSpan LockedFor, int Failures, string LoginLink) : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        $"Your {brand.CompanyName} admin login was locked after failed attempts",
        $"Hello {FirstName},",
        [$"Your admin login {Email} was locked for {brand.For(LockedFor)} after {Failures} wrong passwords in a row. If that was not you, someone may be trying to guess your password.",
            "You can still log in from a browser you have logged in with before."],
        new MailAction("Log in", LoginLink),
        [],
        $"You received this e-mail because of failed log-ins to the admin login {Email}.");
}

/// <summary>To the old address when a user asks to move their login to another: nothing changes until the new address is verified.</summary>
public sealed record EmailChangeRequestedMail(string FirstName, string Email, string NewEmail, string ChangePasswordLink) : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        $"A change of your {brand.CompanyName} login address was requested",
        $"Hello {FirstName},",
        [$"Someone signed in as {Email} asked to change the login's address to {NewEmail}. We sent a link to that address; the change happens only when it is opened, and until then you keep logging in with {Email}."],
        new MailAction("Change your password", ChangePasswordLink),
        ["If this was not you, change your password at once: the request needed your current password."],
        $"You received this e-mail because {Email} is the address of a {brand.CompanyName} login.");
}

/// <summary>The notice that a signed-in user changed their own password; their other devices were signed out.</summary>
public sealed record OwnPasswordChangedMail(string FirstName, string Email, string ForgotPasswordLink) : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        $"Your {brand.CompanyName} password was changed",
        $"Hello {FirstName},",
        [$"The password of your {brand.CompanyName} login {Email} was just changed, and every other device signed in with it was signed out."],
        new MailAction("Reset your password", ForgotPasswordLink),
        ["If this was not you, reset your password at once."],
        $"You received this e-mail because the password of {Email} was changed.");
}

/// <summary>
/// The notice to an address that already has a login, when someone asked to register it or to move another login to
/// it. The form answered them as it answers for a new address, so that it tells no one which addresses have a login;
/// the address's owner hears of it here instead, and nothing about their login changed.
/// </summary>
public sealed record AddressInUseMail(string FirstName, string Email, AddressInUseMail.Attempt Tried, string LoginLink, string ForgotPasswordLink) : IMailTemplate
{
    public enum Attempt
    {
        Register,
        ChangeLoginAddress,
    }

    public MailContent Compose(MailBrand brand) => new(
        $"Someone tried to use your address at {brand.CompanyName}",
        $"Hello {FirstName},",
        [
            Tried == Attempt.Register
                ? $"Someone asked to register a new {brand.CompanyName} login with {Email}. That address already has a login, yours, so nothing was created."
                : $"Someone signed in to another {brand.CompanyName} login asked to move it to {Email}. That address already has a login, yours, so nothing changed.",
            $"If it was you, log in with {Email} instead: one login reaches every account you belong to, and you can open another account once logged in. If you forgot your password, reset it at {ForgotPasswordLink}",
        ],
        new MailAction("Log in", LoginLink),
        ["If it was not you, you need not do anything: your login, its password and its accounts are as they were."],
        $"You received this e-mail because {Email} is the address of a {brand.CompanyName} login.");
}

/// <summary>Where and how a sign-in security event happened, as the notices tell it.</summary>
public sealed record SignInContext(DateTimeOffset At, string? IpAddress, string Browser);

/// <summary>A browser that never signed in as this login before just did.</summary>
public sealed record NewBrowserSignInMail(string FirstName, string Email, SignInContext Context, string SecurityLink) : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        $"New sign-in to your {brand.CompanyName} login",
        $"Hello {FirstName},",
        [$"Your {brand.CompanyName} login {Email} was just used to sign in from a browser it had not signed in from before.",
            $"When: {brand.Dates.DateTime(Context.At)}. Browser: {Context.Browser}. IP address: {Context.IpAddress ?? "unknown"}."],
        new MailAction("Review your sessions", SecurityLink),
        ["If this was not you, sign that session out on this page, change your password at once and turn on two-factor authentication."],
        $"You received this e-mail because {Email} signed in from a new browser.");
}

/// <summary>A second factor of the login was turned on, off or changed (by its owner, or turned off by an admin).</summary>
public sealed record TwoFactorChangedMail(string FirstName, string Email, string Change, SignInContext Context, string SecurityLink) : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        $"Your {brand.CompanyName} sign-in security changed",
        $"Hello {FirstName},",
        [$"{Change} for your {brand.CompanyName} login {Email}.",
            $"When: {brand.Dates.DateTime(Context.At)}. Browser: {Context.Browser}. IP address: {Context.IpAddress ?? "unknown"}."],
        new MailAction("Review your sign-in security", SecurityLink),
        ["If this was not you, reset your password at once, sign out your other sessions and set up two-factor authentication again."],
        $"You received this e-mail because the sign-in security of {Email} changed.");
}

/// <summary>Asks the user who placed an order that waits for their identity to be verified to send an identity document.</summary>
public sealed record IdentityVerificationRequestedMail(string FirstName, string Email, int OrderId, string ClientName, string Link) : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        "Please verify your identity",
        $"Hello {FirstName},",
        [$"Your order #{OrderId} for {ClientName} can go ahead once {brand.CompanyName} has verified your identity.",
            "Upload a photo or scan of an identity document (an image or a PDF) on the portal; we will check it and tell you by e-mail."],
        new MailAction("Verify your identity", Link),
        [],
        $"You received this e-mail because {Email} placed an order that waits for the verification of its user's identity.");
}

/// <summary>Confirms to the user that their identity document arrived and waits for review.</summary>
public sealed record IdentityDocumentReceivedMail(string FirstName, string Email, string FileName, string Link) : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        "We received your identity document",
        $"Hello {FirstName},",
        [$"We received {FileName} to verify your identity. {brand.CompanyName} will review it and tell you the outcome by e-mail."],
        new MailAction("See the status", Link),
        ["If you did not send it, contact us and change your password."],
        $"You received this e-mail because an identity document was uploaded with your login {Email}.");
}

/// <summary>The admin approved the user's identity document: the user is verified and their waiting orders go on.</summary>
public sealed record IdentityVerifiedMail(string FirstName, string Email, string Link) : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        "Your identity is verified",
        $"Hello {FirstName},",
        [$"{brand.CompanyName} has verified your identity. Orders that waited for it go ahead now.",
            "The document you sent has been deleted."],
        new MailAction("Open the portal", Link),
        [],
        $"You received this e-mail because you asked {brand.CompanyName} to verify the identity of {Email}.");
}

/// <summary>The admin rejected the user's identity document, with the reason; the user may send another.</summary>
public sealed record IdentityDocumentRejectedMail(string FirstName, string Email, string Reason, string Link) : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        "Your identity document was not accepted",
        $"Hello {FirstName},",
        [$"{brand.CompanyName} could not verify your identity with the document you sent, for this reason:", Reason,
            "The document has been deleted. You may upload another one."],
        new MailAction("Upload another document", Link),
        [],
        $"You received this e-mail because you asked {brand.CompanyName} to verify the identity of {Email}.");
}
