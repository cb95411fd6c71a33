namespace Portal.Infrastructure.Email;

public sealed class MailOptions
{
    public string From { get; set; } = "Portal <no-reply@localhost>";
    public string PickupDirectory { get; set; } = "App_Data/mail";
    public SmtpOptions Smtp { get; set; } = new();
    public ImapOptions Imap { get; set; } = new();
    public InboundOptions Inbound { get; set; } = new();
}

/// <summary>How inbound ticket mail (import-mail, the IMAP job) is trusted and limited.</summary>
public sealed class InboundOptions
{
    /// <summary>
    /// The authserv-id that the receiving mail server writes in the Authentication-Results headers it adds (RFC 8601).
    /// Empty (the default): no inbound message is taken as authenticated, and each is shown as "by e-mail, sender not verified".
    /// </summary>
    public string? TrustedAuthServId { get; set; }

    /// <summary>Messages stored per sender address per hour; more are dropped.</summary>
    public int PerSenderPerHour { get; set; } = 20;

    /// <summary>Acknowledgements of tickets opened by e-mail per sender address per hour.</summary>
    public int AcknowledgementsPerHour { get; set; } = 3;
}

/// <summary>The mailbox inbound ticket mail is fetched from; with no host, nothing is fetched (mail may be piped to import-mail instead).</summary>
public sealed class ImapOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 993;
    public string? User { get; set; }
    public string? Password { get; set; }

    /// <summary>MailKit's SecureSocketOptions by name: None, Auto, SslOnConnect, StartTls, StartTlsWhenAvailable.</summary>
    public string Security { get; set; } = "Auto";

    public string Mailbox { get; set; } = "INBOX";
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string? User { get; set; }
    public string? Password { get; set; }

    /// <summary>MailKit's SecureSocketOptions by name: None, Auto, SslOnConnect, StartTls, StartTlsWhenAvailable.</summary>
    public string Security { get; set; } = "Auto";
}

public sealed class PortalOptions
{
    public string BaseUrl { get; set; } = "http://localhost:5000";

    /// <summary>The provider's name: every e-mail's header and signature, and the sender of invitations that an admin sends.</summary>
    public string CompanyName { get; set; } = "Portal";

    /// <summary>An optional logo beside the name in the menu bar: a file under wwwroot such as <c>/img/logo.svg</c> (the Content-Security-Policy serves images from the site only).</summary>
    public string? LogoPath { get; set; }

    /// <summary>How long a password link (reset, or the new owner's first password) works; Identity's token lifespan.</summary>
    public int PasswordLinkHours { get; set; } = 24;

    /// <summary>How long an e-mail verification link works.</summary>
    public int EmailVerificationLinkMinutes { get; set; } = 60;

    public TimeSpan PasswordLinkLifetime => TimeSpan.FromHours(PasswordLinkHours);

    public TimeSpan EmailVerificationLinkLifetime => TimeSpan.FromMinutes(EmailVerificationLinkMinutes);

    /// <summary>An absolute link on the configured origin; never built from the request's Host header.</summary>
    public string Link(string pathAndQuery) => BaseUrl.TrimEnd('/') + "/" + pathAndQuery.TrimStart('/');
}
