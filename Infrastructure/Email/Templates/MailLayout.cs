using System.Net;
using System.Text;

namespace Portal.Infrastructure.Email.Templates;

/// <summary>An e-mail template: one per e-mail the portal sends, each in this folder.</summary>
public interface IMailTemplate
{
    MailContent Compose(MailBrand brand);
}

/// <summary>
/// A mail whose links are secrets (a one-time link or a guest's private link): the e-mail history shows it with every
/// link removed, so that whoever may read the account's history cannot use a link meant for one recipient.
/// </summary>
public interface ISecretLinkMail : IMailTemplate;

/// <summary>
/// A mail the portal sends on its own about a ticket (RFC 3834): its <c>Auto-Submitted</c> header tells other systems'
/// auto-responders not to answer it, so two systems never write to each other for ever.
/// </summary>
public interface IAutoSubmittedMail : IMailTemplate
{
    /// <summary><c>auto-replied</c> for an automatic answer to someone's message, <c>auto-generated</c> for a notice.</summary>
    string AutoSubmitted { get; }
}

/// <summary>
/// A mail its recipient is asked to answer by replying: answers go to <see cref="ReplyTo"/> (a support department's
/// address, where inbound mail is imported), not to the sender of every mail, which may be a no-reply address.
/// </summary>
public interface IRepliedToMail : IMailTemplate
{
    string ReplyTo { get; }
}

/// <summary>
/// The provider the mail comes from (<c>Portal:CompanyName</c>), and the recipient's time zone for every date the mail
/// writes, looked up only by a mail that writes one.
/// </summary>
/// <param name="Now">When the mail is written, so that a link's lifetime can be stated as the moment it ends.</param>
public sealed record MailBrand(string CompanyName, Func<Dates.ZonedDates>? RecipientDates = null, DateTimeOffset? Now = null)
{
    private Dates.ZonedDates? dates;

    public Dates.ZonedDates Dates => dates ??= RecipientDates?.Invoke() ?? Infrastructure.Dates.ZonedDates.Utc;

    /// <summary>
    /// How long something written now stays valid, with the exact moment it ends in the recipient's zone:
    /// "1 hour, until 5 December 2026 15:00 Europe/Berlin".
    /// </summary>
    public string For(TimeSpan lifetime) =>
        Now is { } now ? $"{MailLayout.Duration(lifetime)}, until {Dates.DateTime(now + lifetime)}" : MailLayout.Duration(lifetime);
}

/// <summary>The one thing the recipient is asked to do: a button in HTML, and always the plain link as well.</summary>
public sealed record MailAction(string Label, string Url);

/// <summary>
/// What an e-mail says, before the layout: the greeting, the message, the action, notes after it (how long the link
/// works) and why the recipient got the mail.
/// </summary>
public sealed record MailContent(string Subject, string? Greeting, IReadOnlyList<string> Message, MailAction? Action, IReadOnlyList<string> Notes, string Reason);

public sealed record RenderedMail(string Subject, string Text, string Html);

/// <summary>The one layout of every e-mail, as plain text and as HTML (every value encoded).</summary>
public static class MailLayout
{
    public static RenderedMail Render(IMailTemplate template, MailBrand brand)
    {
        var content = template.Compose(brand);
        return new RenderedMail(content.Subject, Text(content, brand), Html(content, brand));
    }

    private static string Text(MailContent content, MailBrand brand)
    {
        var paragraphs = new List<string>();
        if (content.Greeting is not null)
        {
            paragraphs.Add(content.Greeting);
        }

        paragraphs.AddRange(content.Message);
        if (content.Action is { } action)
        {
            paragraphs.Add($"{action.Label}:\n{action.Url}");
        }

        paragraphs.AddRange(content.Notes);
        paragraphs.Add($"--\n{content.Reason}\n{brand.CompanyName}");
        return string.Join("\n\n", paragraphs);
    }

    private static string Html(MailContent content, MailBrand brand)
    {
        static string E(string value) => WebUtility.HtmlEncode(value);
        const string Paragraph = "<p style=\"margin:0 0 16px\">";
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(content.Subject)).Append("</title></head>")
            .Append("<body style=\"margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#212529;font-size:15px;line-height:1.5\">")
            .Append("<div style=\"max-width:560px;margin:0 auto;background:#ffffff;border-radius:6px;overflow:hidden\">")
            .Append("<div data-brand style=\"background:#0d6efd;color:#ffffff;padding:16px 24px;font-size:18px;font-weight:bold\">").Append(E(brand.CompanyName)).Append("</div>")
            .Append("<div style=\"padding:24px\">");
        if (content.Greeting is not null)
        {
            html.Append(Paragraph).Append(E(content.Greeting)).Append("</p>");
        }

        foreach (var paragraph in content.Message)
        {
            // A message keeps its writer's line breaks, as the text part does.
            html.Append(Paragraph).Append(string.Join("<br>", paragraph.ReplaceLineEndings("\n").Split('\n').Select(E))).Append("</p>");
        }

        if (content.Action is { } action)
        {
            var url = E(action.Url);
            html.Append("<p style=\"margin:24px 0\"><a data-action href=\"").Append(url)
                .Append("\" style=\"display:inline-block;background:#0d6efd;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:4px;font-weight:bold\">")
                .Append(E(action.Label)).Append("</a></p>")
                .Append("<p style=\"margin:0 0 16px;font-size:13px;color:#6c757d\">If the button does not work, copy this link into your browser:<br>")
                .Append("<a data-plain-link href=\"").Append(url).Append("\" style=\"color:#0d6efd;word-break:break-all\">").Append(url).Append("</a></p>");
        }

        foreach (var note in content.Notes)
        {
            html.Append(Paragraph).Append(E(note)).Append("</p>");
        }

        html.Append("</div><div data-reason style=\"padding:16px 24px;border-top:1px solid #dee2e6;font-size:12px;color:#6c757d\">")
            .Append(E(content.Reason)).Append("<br>").Append(E(brand.CompanyName)).Append("</div></div></body></html>");
        return html.ToString();
    }

    /// <summary>A link lifetime as the mails say it: "60 minutes", "24 hours", "7 days".</summary>
    public static string Duration(TimeSpan lifetime) => lifetime switch
    {
        { TotalHours: < 2 } => Plural((int)Math.Round(lifetime.TotalMinutes), "minute"),
        { TotalHours: < 72 } when lifetime.TotalHours % 1 == 0 => Plural((int)lifetime.TotalHours, "hour"),
        { TotalDays: >= 3 } when lifetime.TotalDays % 1 == 0 => Plural((int)lifetime.TotalDays, "day"),
        _ => Plural((int)Math.Round(lifetime.TotalMinutes), "minute"),
    };

    private static string Plural(int count, string unit) => count == 1 ? $"1 {unit}" : $"{count} {unit}s";
}
