namespace Portal.Infrastructure.Email;

public sealed class MailOptions
{
    public string From { get; set; } = "Portal <no-reply@localhost>";
    public string PickupDirectory { get; set; } = "App_Data/mail";
    public SmtpOptions Smtp { get; set; } = new();
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

    /// <summary>The provider's name, shown as the sender of invitations that an admin sends.</summary>
    public string CompanyName { get; set; } = "Portal";

    /// <summary>An absolute link on the configured origin; never built from the request's Host header.</summary>
    public string Link(string pathAndQuery) => BaseUrl.TrimEnd('/') + "/" + pathAndQuery.TrimStart('/');
}
