using Mediator;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using MimeKit.Text;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Email.Templates;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Shared;

namespace Portal.Features.Support;

/// <summary>
/// One inbound e-mail (RFC 822, as a mail server pipes it to <c>import-mail</c>): with a ticket reference in the
/// subject it becomes a reply on that ticket; sent to a department's address it opens a ticket there. Quoted history
/// is trimmed, HTML-only mail becomes text, attachments are noted, not kept. Auto-replies and bounces are dropped so
/// that two systems never answer each other for ever; a Message-ID already imported is not imported again.
/// </summary>
public static class ImportMail
{
    public enum Outcome
    {
        Replied,
        Opened,
        Dropped,
        Duplicate,
    }

    public sealed record Result(Outcome Outcome, string Explanation, int? TicketId = null);

    public sealed record Command(byte[] Raw) : ICommand<Result>;

    public const string Malformed = "The input is not an RFC 822 e-mail message";
    public const string NoSender = "The message has no From address";
    public const string NoDestination = "The subject carries no known ticket reference and the message is not addressed to a support department";

    /// <summary>
    /// The message is parsed and its text extracted before the write unit opens (parsing a large message takes a while);
    /// the unit then reads what it decides on and writes the reply or the ticket.
    /// </summary>
    internal sealed class Handler(PortalDbContext db, WriteUnit writes, ActivityWriter activity, Outbox outbox, TimeProvider time) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var message = Parse(command.Raw);
            var text = Body(message);
            return await writes.RunAsync(WriteUnitNames.Of(typeof(Command)), ct => ImportAsync(message, text, ct), cancellationToken);
        }

        private async Task<Result> ImportAsync(MimeMessage message, string text, CancellationToken cancellationToken)
        {
            var from = message.From.Mailboxes.FirstOrDefault();
            if (from is null || !from.Address.Contains('@'))
            {
                throw Refuse.Because(NoSender);
            }

            if (AutomaticReason(message, from) is { } reason)
            {
                return new Result(Outcome.Dropped, $"Dropped: {reason}.");
            }

            var messageId = string.IsNullOrWhiteSpace(message.MessageId) ? null : MailText.OneLine(message.MessageId, 400);
            if (messageId is not null && await db.TicketReplies.AnyAsync(r => r.MessageId == messageId, cancellationToken))
            {
                return new Result(Outcome.Duplicate, $"Already imported: {messageId}.");
            }

            var address = MailText.OneLine(from.Address, FieldLengths.Email);
            var normalized = EmailAddress.Normalize(address);
            var userId = await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => (int?)u.Id).SingleOrDefaultAsync(cancellationToken);
            var sender = new Sender(address, MailText.OneLine(from.Name, FieldLengths.Name * 2), UserId: userId);
            var now = time.GetUtcNow();

            if (Ticket.ReferenceIn(message.Subject) is { } reference
                && await db.Tickets.SingleOrDefaultAsync(t => t.Reference == reference, cancellationToken) is { } ticket)
            {
                ticket.Reply(sender, text, now, messageId);
                activity.Record($"Reply by e-mail from {address} added to ticket {ticket.PublicReference}", ticket.ClientId);
                await db.SaveChangesAsync(cancellationToken);
                return new Result(Outcome.Replied, $"Added to ticket {ticket.PublicReference}.", ticket.Id);
            }

            var recipients = message.To.Mailboxes.Concat(message.Cc.Mailboxes).Select(m => m.Address.Trim().ToLowerInvariant()).ToList();
            var department = await db.Departments.Where(d => recipients.Contains(d.Email)).OrderBy(d => d.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw Refuse.Because(NoDestination);
            var clientId = await AccountOfAsync(normalized, cancellationToken);
            var subject = MailText.OneLine(message.Subject, SupportLengths.Subject) is { Length: > 0 } s ? s : "(no subject)";
            var opened = Ticket.Open(clientId, department, subject, TicketPriority.Medium, sender, text, now, messageId);
            db.Tickets.Add(opened);
            activity.Record($"Ticket {opened.PublicReference} opened by e-mail from {address} in {department.Name}", clientId);
            await db.SaveChangesAsync(cancellationToken);
            outbox.Queue(address, new TicketOpenedMail(opened.PublicReference, opened.Subject, sender.Name.Length > 0 ? sender.Name : address, department.Name,
                userId is not null && clientId is not null ? outbox.Link($"/tickets/{opened.Id}") : null), clientId, userId);
            await db.SaveChangesAsync(cancellationToken);
            return new Result(Outcome.Opened, $"Opened ticket {opened.PublicReference} in {department.Name}.", opened.Id);
        }

        /// <summary>The one account the sender belongs to, as a user or a contact; none when there are several or none.</summary>
        private async Task<int?> AccountOfAsync(string normalizedEmail, CancellationToken cancellationToken)
        {
            var asUser = await db.ClientUsers.Where(cu => cu.User.NormalizedEmail == normalizedEmail).Select(cu => cu.ClientId).ToListAsync(cancellationToken);
            var asContact = await db.Contacts.Where(c => c.NormalizedEmail == normalizedEmail).Select(c => c.ClientId).ToListAsync(cancellationToken);
            var accounts = asUser.Concat(asContact).Distinct().ToList();
            return accounts.Count == 1 ? accounts[0] : null;
        }
    }

    private static MimeMessage Parse(byte[] raw)
    {
        if (raw.Length == 0)
        {
            throw Refuse.Because($"{Malformed}: the input is empty.");
        }

        try
        {
            using var stream = new MemoryStream(raw);
            var message = MimeMessage.Load(new ParserOptions { AllowAddressesWithoutDomain = false }, stream);
            if (message.Headers.Count == 0 || (message.From.Count == 0 && message.To.Count == 0 && message.Subject is null))
            {
                throw Refuse.Because($"{Malformed}: it has no headers.");
            }

            return message;
        }
        catch (FormatException e)
        {
            throw Refuse.Because($"{Malformed}: {e.Message}");
        }
    }

    /// <summary>Why a message was written by a machine (an auto-reply, a bounce, a list), or null for a person's mail.</summary>
    public static string? AutomaticReason(MimeMessage message, MailboxAddress from)
    {
        var autoSubmitted = message.Headers[HeaderId.AutoSubmitted];
        if (!string.IsNullOrWhiteSpace(autoSubmitted) && !autoSubmitted.Trim().Equals("no", StringComparison.OrdinalIgnoreCase))
        {
            return $"Auto-Submitted: {MailText.OneLine(autoSubmitted, 40)}";
        }

        var precedence = message.Headers[HeaderId.Precedence]?.Trim().ToLowerInvariant();
        if (precedence is "bulk" or "junk" or "list" or "auto_reply")
        {
            return $"Precedence: {precedence}";
        }

        var local = from.LocalPart.ToLowerInvariant();
        if (local is "mailer-daemon" or "postmaster" || local.StartsWith("no-reply", StringComparison.Ordinal) || local.StartsWith("noreply", StringComparison.Ordinal))
        {
            return $"sent by {local}";
        }

        if (message.Headers.Contains("X-Autoreply") || message.Headers.Contains("X-Autorespond") || message.Body is MultipartReport)
        {
            return "an automatic reply or delivery report";
        }

        return null;
    }

    private static string Body(MimeMessage message)
    {
        var text = message.TextBody;
        if (string.IsNullOrWhiteSpace(text) && message.HtmlBody is { } html)
        {
            text = MailText.FromHtml(html);
        }

        var body = MailText.Clean(MailText.TrimQuoted(text ?? ""), SupportLengths.Message - 400);
        var attachments = message.Attachments.Select(a => MailText.OneLine(a.ContentDisposition?.FileName ?? a.ContentType.Name ?? "unnamed", 100)).ToList();
        if (attachments.Count > 0)
        {
            body += $"\n\n[{attachments.Count} attachment(s) not imported: {string.Join(", ", attachments)}]";
        }

        return body.Trim() is { Length: > 0 } done ? done : "(no text)";
    }
}
