using Portal.Infrastructure.Email.Templates;

namespace Portal.Features.Clients;

/// <summary>The welcome an admin may send to the owner of a new client account.</summary>
public sealed record WelcomeMail(string FirstName, string Email, string ClientName, string LoginLink) : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        $"Welcome to {brand.CompanyName}, {ClientName}",
        $"Hello {FirstName},",
        [$"Welcome! The account {ClientName} is ready, and you are its owner. Log in with {Email} to get started."],
        new MailAction("Log in", LoginLink),
        [],
        $"You received this e-mail because {brand.CompanyName} opened the account {ClientName} with {Email} as its owner.");
}

/// <summary>Tells an account's owner what became of the closure they asked for: waiting, closed, or turned down.</summary>
public sealed record ClosureNoticeMail(string FirstName, string ClientName, string Subject, string Text, string Link) : IMailTemplate
{
    public MailContent Compose(MailBrand brand) => new(
        Subject,
        $"Hello {FirstName},",
        [Text],
        new MailAction("Open the portal", Link),
        [],
        $"You received this e-mail because you own {ClientName} on the {brand.CompanyName} client portal.");
}
