using Portal.Infrastructure.Email.Templates;

namespace Portal.Features.Membership;

/// <summary>An invitation to a client account, sent, resent or re-issued by its owner or an admin.</summary>
public sealed record InvitationMail(string ClientName, string SentBy, string InvitedEmail, string Link, DateTimeOffset ExpiresAt) : ISecretLinkMail
{
    public MailContent Compose(MailBrand brand) => new(
        $"You have been invited to {ClientName}",
        null,
        [$"You have been invited to {ClientName} by {SentBy}.", "To accept, open this link and log in or create a login."],
        new MailAction("Accept the invitation", Link),
        [$"The link can be used once and is valid until {brand.Dates.DateTime(ExpiresAt)}. If you were not expecting this invitation, you can ignore this e-mail."],
        $"You received this e-mail because {SentBy} invited {InvitedEmail} to {ClientName} on the {brand.CompanyName} client portal.");
}

/// <summary>Tells whoever sent an invitation that it was declined; the link no longer works.</summary>
public sealed record InvitationDeclinedMail(string ClientName, string DeclinedBy, string InvitedEmail) : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        $"Your invitation to {ClientName} was declined",
        null,
        [$"{DeclinedBy} declined the invitation to {ClientName} that was sent to {InvitedEmail}.", "The invitation link no longer works. You can send a new invitation from User Management if this was a mistake."],
        null,
        [],
        $"You received this e-mail because you invited {InvitedEmail} to {ClientName} on the {brand.CompanyName} client portal.");
}

/// <summary>Tells whoever answers for an invitation (the owner, or the admin who sent it) that it was accepted.</summary>
public sealed record InvitationAcceptedMail(string ClientName, string AcceptedBy, string InvitedEmail, string Permissions, string? UsersLink) : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        $"{AcceptedBy} joined {ClientName}",
        null,
        [$"{AcceptedBy} accepted the invitation to {ClientName} that was sent to {InvitedEmail}, and can now use the account with these permissions: {Permissions}.",
         "You can change their permissions or remove their access from User Management at any time."],
        UsersLink is null ? null : new MailAction("Open User Management", UsersLink),
        [],
        $"You received this e-mail because you answer for the invitations to {ClientName} on the {brand.CompanyName} client portal.");
}

/// <summary>Tells an account's owner that a user gave up their own access to it.</summary>
public sealed record MemberLeftMail(string OwnerFirstName, string ClientName, string LeaverName, string LeaverEmail, string UsersLink) : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        $"{LeaverName} left {ClientName}",
        $"Hello {OwnerFirstName},",
        [$"{LeaverName} ({LeaverEmail}) removed their own access to {ClientName}. They can no longer reach the account; their login and any other accounts they use are unchanged.",
         "If they should still have access, you can invite them again from User Management."],
        new MailAction("Open User Management", UsersLink),
        [],
        $"You received this e-mail because you own {ClientName} on the {brand.CompanyName} client portal.");
}

/// <summary>Offers an account's ownership to one of its users: a one-time link, for that user only, valid for seven days.</summary>
public sealed record OwnershipOfferedMail(string FirstName, string ClientName, string OfferedBy, string Link, DateTimeOffset ExpiresAt) : ISecretLinkMail
{
    public MailContent Compose(MailBrand brand) => new(
        $"{OfferedBy} wants to make you the owner of {ClientName}",
        $"Hello {FirstName},",
        [$"{OfferedBy}, the owner of {ClientName}, asked to hand the account over to you.",
         "As the owner you would hold every permission and manage the account's users; they would keep access with every permission. To accept, open this link while logged in with your own login."],
        new MailAction("Review and accept", Link),
        [$"The link can be used once, only by you, and works until {brand.Dates.DateTime(ExpiresAt)}. If you do not want the account, ignore this e-mail: nothing changes."],
        $"You received this e-mail because you are a user of {ClientName} on the {brand.CompanyName} client portal.");
}

/// <summary>What happened to an ownership transfer (offered, accepted, cancelled), told to the owner and the user it was offered to.</summary>
public sealed record OwnershipTransferNoticeMail(string FirstName, string ClientName, string Text, string Link, bool Cancelled = false, bool Accepted = false) : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        Accepted ? $"Ownership of {ClientName} has changed" : Cancelled ? $"Ownership transfer of {ClientName} cancelled" : $"Ownership transfer of {ClientName} started",
        $"Hello {FirstName},",
        [Text],
        new MailAction("Open the portal", Link),
        [],
        $"You received this e-mail because you are a party to an ownership transfer of {ClientName} on the {brand.CompanyName} client portal.");
}
