using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email.Templates;
using Portal.Features.Settings;
using Portal.Features.Shared;

namespace Portal.Infrastructure.Email;

/// <summary>
/// Queues e-mail in the database, in the same save as the change that causes it. The outbox row is the account's
/// e-mail history; <see cref="OutboxSender"/> delivers it later, so nothing is lost when SMTP is down.
/// </summary>
public sealed class Outbox(PortalDbContext db, TimeProvider time, IOptions<PortalOptions> portal, SystemSettings settings)
{
    /// <summary>
    /// Renders <paramref name="mail"/> with the one layout and adds it to the unit of work; the caller saves. A mail about
    /// a client account names it (<paramref name="clientId"/>): it then appears in that account's e-mail history.
    /// </summary>
    public EmailMessage Queue(string to, IMailTemplate mail, int? clientId = null, int? userId = null)
    {
        var now = time.GetUtcNow();
        var rendered = MailLayout.Render(mail, new MailBrand(portal.Value.CompanyName, () => RecipientDates(to, userId), now));
        var message = new EmailMessage(to, rendered.Subject, rendered.Text, rendered.Html, now, clientId, userId, KindOf(mail.GetType()), mail is ISecretLinkMail,
            (mail as IAutoSubmittedMail)?.AutoSubmitted, (mail as IRepliedToMail)?.ReplyTo);
        db.EmailMessages.Add(message);
        return message;
    }

    /// <summary>The <see cref="EmailMessage.Kind"/> a template's mail is stored as: its type name without "Mail".</summary>
    public static string KindOf(Type template) =>
        template.Name.EndsWith("Mail", StringComparison.Ordinal) ? template.Name[..^"Mail".Length] : template.Name;

    /// <summary>Dates in the recipient's own zone when the address is a user's, otherwise in the provider's default.</summary>
    private Dates.ZonedDates RecipientDates(string to, int? userId)
    {
        var normalized = EmailAddress.Normalize(to);
        var zone = db.Users.AsNoTracking()
            .Where(u => userId != null ? u.Id == userId : u.NormalizedEmail == normalized)
            .Select(u => u.TimeZone)
            .FirstOrDefault();
        return new Dates.ZonedDates(Dates.TimeZones.Find(zone, settings.Get().DefaultTimeZone));
    }

    /// <summary>An absolute link for an e-mail, on <c>Portal:BaseUrl</c>.</summary>
    public string Link(string path) => portal.Value.Link(path);

    /// <summary>How long a password link works (<c>Portal:PasswordLinkHours</c>, also Identity's token lifespan).</summary>
    public TimeSpan PasswordLinkLifetime => portal.Value.PasswordLinkLifetime;

    /// <summary>How long an e-mail verification link works (<c>Portal:EmailVerificationLinkMinutes</c>).</summary>
    public TimeSpan EmailVerificationLinkLifetime => portal.Value.EmailVerificationLinkLifetime;
}

/// <summary>Delivers outbox rows. Each row is claimed with a conditional update first, so two senders never send it twice.</summary>
public sealed class OutboxSender(PortalDbContext db, IMailTransport transport, TimeProvider time, IOptions<MailOptions> mail, ILogger<OutboxSender> logger)
{
    public const int MaxAttempts = 20;
    private static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(5);

    /// <summary>The Hangfire job enqueued after a save. A failure is retried by the sweep.</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task SendAsync(long messageId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claimedUntil = now + ClaimFor;
        var claimed = await db.EmailMessages
            .Where(m => m.Id == messageId && m.SentAt == null && (m.LockedUntil == null || m.LockedUntil < now))
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.LockedUntil, claimedUntil), cancellationToken);
        if (claimed == 0)
        {
            return;
        }

        var message = await db.EmailMessages.SingleAsync(m => m.Id == messageId, cancellationToken);
        try
        {
            await transport.SendAsync(MimeMessages.From(message, mail.Value.From), cancellationToken);
            message.MarkSent(time.GetUtcNow());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Sending e-mail {MessageId} failed: {Error}", messageId, e.Message);
            message.MarkFailed(e.Message);
        }

        db.Entry(message).Property(m => m.LockedUntil).CurrentValue = null;
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>The recurring sweep: sends every unsent message, including those queued before a restart.</summary>
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    public async Task SendPendingAsync(CancellationToken cancellationToken)
    {
        var ids = await db.EmailMessages
            .Where(m => m.SentAt == null && m.Attempts < MaxAttempts)
            .OrderBy(m => m.Id)
            .Select(m => m.Id)
            .Take(500)
            .ToListAsync(cancellationToken);
        foreach (var id in ids)
        {
            db.ChangeTracker.Clear();
            await SendAsync(id, cancellationToken);
        }
    }
}
