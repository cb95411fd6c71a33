using Portal.Infrastructure.Email.Templates;

namespace Portal.Features.Support;

/// <summary>The acknowledgement of a new ticket, to whoever opened it (on the web, by e-mail or as a guest).</summary>
public sealed record TicketOpenedMail(string Reference, string Subject, string Name, string Department, string? Link, string ReplyTo) : IAutoSubmittedMail, IRepliedToMail
{
    public string AutoSubmitted => "auto-replied";

    public MailContent Compose(MailBrand brand) => new(
        $"[{Reference}] {Subject}",
        $"Hello {Name},",
        [Ticket.ReplyMarker, $"Thank you for contacting {brand.CompanyName} {Department}. Your ticket {Reference} has been opened, and we will answer as soon as we can.",
            $"Reply to this e-mail and keep {Reference} in the subject to add to the ticket."],
        Link is null ? null : new MailAction("View the ticket", Link),
        [],
        $"You received this e-mail because a support ticket was opened with your address at {brand.CompanyName}.");
}

/// <summary>
/// A staff answer on a ticket, to its requester and the people of the account who follow it. Signed "Support", as the
/// ticket's page shows staff answers; replies go to the ticket's department, whose address the import reads.
/// </summary>
public sealed record TicketAnsweredMail(string Reference, string Subject, string Message, string? Link, string ReplyTo) : IAutoSubmittedMail, IRepliedToMail
{
    public string AutoSubmitted => "auto-generated";

    public MailContent Compose(MailBrand brand) => new(
        $"[{Reference}] {Subject}",
        null,
        [Ticket.ReplyMarker, $"Support answered your ticket {Reference}:", Message, $"Reply to this e-mail and keep {Reference} in the subject to answer."],
        Link is null ? null : new MailAction("View the ticket", Link),
        [],
        $"You received this e-mail because you opened, replied to or follow the support ticket {Reference} at {brand.CompanyName}.");
}

/// <summary>The private link of a guest's ticket: the only way into it without a login.</summary>
public sealed record GuestTicketMail(string Reference, string Subject, string Name, string Link) : ISecretLinkMail, IAutoSubmittedMail
{
    public string AutoSubmitted => "auto-replied";

    public MailContent Compose(MailBrand brand) => new(
        $"[{Reference}] {Subject}",
        $"Hello {Name},",
        [$"Your ticket {Reference} has been opened. Use this private link to read our answers and reply; do not share it."],
        new MailAction("View your ticket", Link),
        [],
        $"You received this e-mail because a support ticket was opened with your address at {brand.CompanyName}.");
}
