using Mediator;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Email.Templates;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Shared;
using Portal.Features.Membership;
using Microsoft.Extensions.Options;

namespace Portal.Features.Support;

/// <summary>
/// One inbound e-mail (RFC 822, as a mail server pipes it to <c>import-mail</c>): with a ticket reference in the
/// subject it becomes a reply on that ticket; sent to a department's address it opens a ticket there. The message is
/// read first (<see cref="InboundMessage"/>), outside any transaction; only storing it takes the write lock.
/// The From address is a claim: it carries a user's identity only when the receiving server authenticated it
/// (<see cref="MailAuthentication"/>), and otherwise the reply says "by e-mail, sender not verified". A new ticket
/// goes to the one account whose verified login or confirmed contact has the address (none when two accounts know
/// it); a reply from an address unrelated to the ticket is held for staff. Quoted history is trimmed, every text part
/// kept, parts not imported are noted. Auto-replies, bounces and senders over their hourly limit are dropped; a
/// message already imported is not imported again; only authenticated or known senders get an acknowledgement.
/// </summary>
public static class ImportMail
{
    public enum Outcome
    {
        Replied,
        Opened,
        Dropped,
        Duplicate,
        Held,
    }

    public sealed record Result(Outcome Outcome, string Explanation, int? TicketId = null);

    /// <summary>The raw message. Not transactional: the handler parses it, then stores it with <see cref="Store"/>.</summary>
    public sealed record Command(ReadOnlyMemory<byte> Raw) : ICommand<Result>;

    /// <summary>
    /// A parsed message, stored under the write lock, with the text it would be stored as, a reply's (quoted lines
    /// trimmed) and a new ticket's, composed before the lock (<see cref="Of"/>): working through a long text is no work
    /// for the time the lock is held.
    /// </summary>
    public sealed record Store(InboundMessage Message, string ReplyText, string OpeningText) : ICommand<Result>, ITransactional
    {
        public static Store Of(InboundMessage message) =>
            new(message, Compose(MailText.TrimQuoted(message.Text), message), Compose(message.Text, message));
    }

    public const string Malformed = "The input is not an RFC 822 e-mail message";
    public const string NoSender = "The message has no From address";
    public const string NoDestination = "The subject carries no known ticket reference and the message is not addressed to a support department";

    internal sealed class Handler(ISender sender) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken) =>
            await sender.Send(Store.Of(InboundMessage.Parse(command.Raw)), cancellationToken);
    }

    internal sealed class StoreHandler(PortalDbContext db, ActivityWriter activity, Outbox outbox, TimeProvider time, IOptions<MailOptions> mail)
        : ICommandHandler<Store, Result>
    {
        public async ValueTask<Result> Handle(Store command, CancellationToken cancellationToken)
        {
            var message = command.Message;
            if (message.AutomaticReason is { } reason)
            {
                return new Result(Outcome.Dropped, $"Dropped: {reason}.");
            }

            var address = message.FromAddress;
            var normalized = EmailAddress.Normalize(address);
            var (key, shownId) = (message.MessageKey, message.MessageIdShown);
            var whole = message.MessageId is { Length: <= 400 };
            if (key is not null && await db.TicketReplies.AnyAsync(r => r.MessageKey == key || (whole && r.MessageKey == null && r.MessageId == shownId), cancellationToken))
            {
                return new Result(Outcome.Duplicate, $"Already imported: {shownId}.");
            }

            var options = mail.Value.Inbound;
            var now = time.GetUtcNow();
            var hourAgo = now.AddHours(-1);
            var recent = await db.TicketReplies.CountAsync(r => r.NormalizedSenderEmail == normalized && r.Channel == ReplyChannel.Email && r.At >= hourAgo, cancellationToken);
            if (recent >= options.PerSenderPerHour)
            {
                return new Result(Outcome.Dropped, $"Dropped: {address} sent more than {options.PerSenderPerHour} messages in the past hour.");
            }

            var verified = MailAuthentication.Verifies(message.AuthenticationResults, address, message.FromCount, options.TrustedAuthServId);
            var userId = verified
                ? await db.Users.Where(u => u.NormalizedEmail == normalized && u.EmailConfirmed).Select(u => (int?)u.Id).SingleOrDefaultAsync(cancellationToken)
                : null;
            var sender = new Sender(address, message.FromName, UserId: userId, Channel: ReplyChannel.Email, Verified: verified);
            var unverified = verified ? "" : " (sender not verified)";

            if (Ticket.ReferenceIn(message.Subject) is { } reference
                && await db.Tickets.SingleOrDefaultAsync(t => t.Reference == reference, cancellationToken) is { } ticket)
            {
                var text = command.ReplyText;
                if (await RelatedAsync(ticket, normalized, cancellationToken))
                {
                    ticket.Reply(sender, text, now, shownId, key);
                    activity.Record($"Reply by e-mail from {address}{unverified} added to ticket {ticket.PublicReference}", ticket.ClientId);
                    await db.SaveChangesAsync(cancellationToken);
                    return new Result(Outcome.Replied, $"Added to ticket {ticket.PublicReference}.", ticket.Id);
                }

                ticket.Hold(sender, text, now, shownId, key);
                activity.Record($"Reply by e-mail from {address}{unverified} to ticket {ticket.PublicReference} held for staff: the address is not the requester's nor one of the account's", ticket.ClientId);
                await db.SaveChangesAsync(cancellationToken);
                return new Result(Outcome.Held, $"Held for staff on ticket {ticket.PublicReference}: the sender is not related to the ticket.", ticket.Id);
            }

            var department = await db.Departments.Where(d => message.Recipients.Contains(d.Email)).OrderBy(d => d.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw Refuse.Because(NoDestination);
            var clientId = await AccountOfAsync(normalized, cancellationToken);
            var acknowledge = await AcknowledgeAsync(verified, normalized, hourAgo, options.AcknowledgementsPerHour, cancellationToken);
            var subject = MailText.OneLine(message.Subject, SupportLengths.Subject) is { Length: > 0 } s ? s : "(no subject)";
            var opened = Ticket.Open(clientId, department, subject, TicketPriority.Medium, sender, command.OpeningText, now, shownId, key);
            db.Tickets.Add(opened);
            activity.Record($"Ticket {opened.PublicReference} opened by e-mail from {address}{unverified} in {department.Name}", clientId);
            await db.SaveChangesAsync(cancellationToken);
            if (acknowledge)
            {
                outbox.Queue(address, new TicketOpenedMail(opened.PublicReference, opened.Subject, sender.Name.Length > 0 ? sender.Name : address, department.Name,
                    userId is not null && clientId is not null ? outbox.Link($"/tickets/{opened.Id}") : null, department.Email), clientId, userId);
                await db.SaveChangesAsync(cancellationToken);
            }

            return new Result(Outcome.Opened, $"Opened ticket {opened.PublicReference} in {department.Name}{(acknowledge ? "" : "; not acknowledged: the sender is neither authenticated nor known, or was acknowledged often this hour")}.", opened.Id);
        }

        /// <summary>
        /// The one account whose verified login address or confirmed contact is the sender's; none when there are
        /// several or none (the ticket then waits, unassigned, for staff). An address someone only typed routes nothing.
        /// </summary>
        private async Task<int?> AccountOfAsync(string normalizedEmail, CancellationToken cancellationToken)
        {
            var asUser = await db.ClientUsers.Where(cu => cu.User.NormalizedEmail == normalizedEmail && cu.User.EmailConfirmed).Select(cu => cu.ClientId).ToListAsync(cancellationToken);
            var asContact = await db.Contacts.Where(c => c.NormalizedEmail == normalizedEmail && c.ConfirmedAt != null).Select(c => c.ClientId).ToListAsync(cancellationToken);
            var accounts = asUser.Concat(asContact).Distinct().ToList();
            return accounts.Count == 1 ? accounts[0] : null;
        }

        /// <summary>The ticket's requester, a user of its account who may use tickets (by verified login address), or one of its confirmed contacts.</summary>
        private async Task<bool> RelatedAsync(Ticket ticket, string normalizedEmail, CancellationToken cancellationToken)
        {
            if (EmailAddress.Normalize(ticket.RequesterEmail) == normalizedEmail)
            {
                return true;
            }

            if (ticket.ClientId is not { } clientId)
            {
                return false;
            }

            var members = await db.ClientUsers.AsNoTracking().Include(cu => cu.Client)
                .Where(cu => cu.ClientId == clientId && cu.User.NormalizedEmail == normalizedEmail && cu.User.EmailConfirmed)
                .ToListAsync(cancellationToken);
            return members.Any(cu => cu.Permissions.Has(Permission.Tickets))
                || await db.Contacts.AnyAsync(c => c.ClientId == clientId && c.NormalizedEmail == normalizedEmail && c.ConfirmedAt != null, cancellationToken);
        }

        /// <summary>Only authenticated or known senders (a verified login, a confirmed contact) hear back, and only a few times an hour: no backscatter to forged addresses.</summary>
        private async Task<bool> AcknowledgeAsync(bool verified, string normalizedEmail, DateTimeOffset hourAgo, int perHour, CancellationToken cancellationToken)
        {
            var known = verified
                || await db.Users.AnyAsync(u => u.NormalizedEmail == normalizedEmail && u.EmailConfirmed, cancellationToken)
                || await db.Contacts.AnyAsync(c => c.NormalizedEmail == normalizedEmail && c.ConfirmedAt != null, cancellationToken);
            if (!known)
            {
                return false;
            }

            var openedThisHour = await db.TicketReplies.CountAsync(
                r => r.NormalizedSenderEmail == normalizedEmail && r.Channel == ReplyChannel.Email && r.At >= hourAgo && r.Ticket.CreatedAt == r.At, cancellationToken);
            return openedThisHour < perHour;
        }
    }

    /// <summary>The stored message: the text, then one note naming the parts not imported; never longer than its column.</summary>
    public static string Compose(string text, InboundMessage message)
    {
        var notes = new List<string>();
        if (message.NotImported.Count > 0)
        {
            var names = new List<string>();
            var length = 0;
            foreach (var name in message.NotImported)
            {
                if (length + name.Length > 1500)
                {
                    names.Add($"and {message.NotImported.Count - names.Count} more");
                    break;
                }

                names.Add(name);
                length += name.Length + 2;
            }

            notes.Add($"[{message.NotImported.Count} attachment(s) not imported: {string.Join(", ", names)}]");
        }

        return MailText.Fit(text, message.Truncated, notes, SupportLengths.Message);
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
}
