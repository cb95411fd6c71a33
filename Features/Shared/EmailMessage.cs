namespace Portal.Features.Shared;

/// <summary>An outgoing e-mail: the outbox row the sender job delivers, and the account's e-mail history.</summary>
public sealed class EmailMessage
{
    public long Id { get; private set; }
    public int? ClientId { get; private set; }
    public int? UserId { get; private set; }
    public string To { get; private set; } = "";

    /// <summary>Which e-mail it is: the template's name (<c>Invitation</c>, <c>TicketAnswered</c>).</summary>
    public string Kind { get; private set; } = "";

    /// <summary>Its links are secrets for the recipient alone: the e-mail history shows it with its links removed.</summary>
    public bool HoldsSecretLink { get; private set; }

    /// <summary>The <c>Auto-Submitted</c> header (RFC 3834) of mail the portal sends on its own about tickets; null for others.</summary>
    public string? AutoSubmitted { get; private set; }

    /// <summary>The <c>Reply-To</c> address when answers go elsewhere than the sender (a ticket's department); null for others.</summary>
    public string? ReplyTo { get; private set; }

    public string Subject { get; private set; } = "";
    public string TextBody { get; private set; } = "";
    public string HtmlBody { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public int Attempts { get; private set; }
    public string? LastError { get; private set; }

    /// <summary>Set while one sender holds the message, so that two senders never deliver it twice.</summary>
    public DateTimeOffset? LockedUntil { get; private set; }

    private EmailMessage()
    {
    }

    public EmailMessage(string to, string subject, string textBody, string htmlBody, DateTimeOffset now, int? clientId = null, int? userId = null, string kind = "", bool holdsSecretLink = false, string? autoSubmitted = null, string? replyTo = null)
    {
        To = to;
        Kind = kind;
        HoldsSecretLink = holdsSecretLink;
        AutoSubmitted = autoSubmitted;
        ReplyTo = replyTo;
        Subject = subject;
        TextBody = textBody;
        HtmlBody = htmlBody;
        CreatedAt = now;
        ClientId = clientId;
        UserId = userId;
    }

    public const string LinkRemoved = "[link removed: it was for the recipient alone]";

    /// <summary>The text as the e-mail history shows it: as sent, but with every link removed when its links are secrets.</summary>
    public string HistoryText => HoldsSecretLink ? RemoveLinks(TextBody) : TextBody;

    public static string RemoveLinks(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"\b[a-zA-Z][a-zA-Z0-9+.-]*://\S+", LinkRemoved);

    public void MarkSent(DateTimeOffset now)
    {
        SentAt = now;
        Attempts++;
        LastError = null;
    }

    public void MarkFailed(string error)
    {
        Attempts++;
        LastError = error.Length > 500 ? error[..500] : error;
    }
}
