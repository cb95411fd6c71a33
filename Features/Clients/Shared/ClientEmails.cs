using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Features.Clients;

/// <summary>A client account's contact e-mail is its own: no two accounts share one (compared without case).</summary>
public static class ClientEmails
{
    public const string Taken = "Another client already uses that email address";

    /// <summary>Whether an account other than <paramref name="exceptClientId"/> already uses <paramref name="email"/>.</summary>
    public static Task<bool> TakenAsync(PortalDbContext db, string email, int? exceptClientId, CancellationToken cancellationToken)
    {
        var lowered = email.ToLower();
        return db.Clients.AnyAsync(c => c.Id != exceptClientId && c.Email.ToLower() == lowered, cancellationToken);
    }
}
