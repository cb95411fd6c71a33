namespace Portal.Infrastructure.Email.Templates;

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
