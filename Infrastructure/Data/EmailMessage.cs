namespace Portal.Infrastructure.Data;

/// <summary>An outgoing e-mail: the outbox row the sender job delivers, and the account's e-mail history.</summary>
public sealed class EmailMessage
{
    public long Id { get; private set; }
    public int? ClientId { get; private set; }
    public int? UserId { get; private set; }
    public string To { get; private set; } = "";
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

    public EmailMessage(string to, string subject, string textBody, string htmlBody, DateTimeOffset now, int? clientId = null, int? userId = null)
    {
        To = to;
        Subject = subject;
        TextBody = textBody;
        HtmlBody = htmlBody;
        CreatedAt = now;
        ClientId = clientId;
        UserId = userId;
    }

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
