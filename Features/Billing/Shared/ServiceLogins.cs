using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Portal.Infrastructure.Data;

namespace Portal.Features.Billing;

/// <summary>Service logins: a generated password, kept only encrypted with Data Protection, readable by the portal alone.</summary>
public sealed class ServiceLogins(IDataProtectionProvider protection)
{
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private readonly IDataProtector protector = protection.CreateProtector("Portal.ServiceLogin.v1");

    /// <summary>Gives a saved service a login (a username from its id, kept on a reset, and a new password); returns the password, to show once.</summary>
    public string Issue(Service service)
    {
        var password = NewPassword();
        service.SetLogin(service.Username ?? $"svc{service.Id}", protector.Protect(password));
        return password;
    }

    public string? Reveal(string? passwordProtected) => passwordProtected is null ? null : protector.Unprotect(passwordProtected);

    private static string NewPassword() => RandomNumberGenerator.GetString(Alphabet, 20);
}
