using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

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
    private readonly List<(string Password, string Protected)> _prepared = [];

    /// <summary>What the current attempt of the current write unit gave out: given again when the unit runs again.</summary>
    private readonly List<(string Password, string Protected)> _given = [];

    private (object? Run, int Attempt) _at;

    /// <summary>Encrypts passwords for up to <paramref name="count"/> services ahead of the write unit that may start them.</summary>
    public void Prepare(int count)
    {
        for (var i = _prepared.Count; i < count; i++)
        {
            var password = NewPassword();
            _prepared.Add((password, protector.Protect(password)));
        }
    }

    /// <summary>Gives a saved service a login (a username from its id, kept on a reset, and a new password); returns the password, to show once.</summary>
    public string Issue(Service service)
    {
        var at = (WriteUnit.Run, WriteUnit.Attempt);
        if (!ReferenceEquals(at.Run, _at.Run) || at.Attempt != _at.Attempt)
        {
            if (at.Run is not null && ReferenceEquals(at.Run, _at.Run))
            {
                // The unit runs again: what its last attempt gave out was rolled back, and is given out again.
                _prepared.InsertRange(0, _given);
            }

            _given.Clear();
            _at = at;
        }

        (string Password, string Protected) login;
        if (_prepared.Count > 0)
        {
            login = _prepared[0];
            _prepared.RemoveAt(0);
        }
        else
        {
            var password = NewPassword();
            login = (password, protector.Protect(password));
        }

        _given.Add(login);
        service.SetLogin(service.Username ?? $"svc{service.Id}", login.Protected);
        return login.Password;
    }

    public string? Reveal(string? passwordProtected) => passwordProtected is null ? null : protector.Unprotect(passwordProtected);

    private static string NewPassword() => RandomNumberGenerator.GetString(Alphabet, 20);
}
