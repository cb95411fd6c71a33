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
