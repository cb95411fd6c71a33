using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Portal.Infrastructure.Data;

namespace Portal.Features.Billing;

/// <summary>
/// Service logins: a generated password, kept only encrypted with Data Protection, readable by the portal alone.
/// Encrypting goes through Data Protection's key ring (read from the database every minute, decrypted with the key
/// certificate when there is one), which must not happen while a write unit holds its lock: a handler that may start
/// services prepares their logins first (<see cref="Prepare"/>), and <see cref="Issue"/> inside the unit takes one of those.
/// </summary>
public sealed class ServiceLogins(IDataProtectionProvider protection)
{
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private readonly IDataProtector protector = protection.CreateProtector("Portal.ServiceLogin.v1");
    private readonly Queue<(string Password, string Protected)> _prepared = new();

    /// <summary>What each service was given in this request, so that a write unit run again gives it the same login.</summary>
    private readonly Dictionary<int, (string Password, string Protected)> _issued = [];

    /// <summary>Encrypts passwords for up to <paramref name="count"/> services ahead of the write unit that may start them.</summary>
    public void Prepare(int count)
    {
        for (var i = _prepared.Count; i < count; i++)
        {
            var password = NewPassword();
            _prepared.Enqueue((password, protector.Protect(password)));
        }
    }

    /// <summary>Gives a saved service a login (a username from its id, kept on a reset, and a new password); returns the password, to show once.</summary>
    public string Issue(Service service)
    {
        if (!_issued.TryGetValue(service.Id, out var login) && !_prepared.TryDequeue(out login))
        {
            var password = NewPassword();
            login = (password, protector.Protect(password));
        }

        _issued[service.Id] = login;
        service.SetLogin(service.Username ?? $"svc{service.Id}", login.Protected);
        return login.Password;
    }

    public string? Reveal(string? passwordProtected) => passwordProtected is null ? null : protector.Unprotect(passwordProtected);

    private static string NewPassword() => RandomNumberGenerator.GetString(Alphabet, 20);
}
