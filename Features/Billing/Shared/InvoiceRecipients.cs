using Microsoft.EntityFrameworkCore;
using Portal.Features.Membership;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;

namespace Portal.Features.Billing;

/// <summary>
/// Who hears of an invoice (issued, reminded, overdue): the account's owner and the user who placed its order, each only
/// while they hold the invoices permission in the account (<see cref="PermissionHolders"/>, the receipt's rule), and the
/// account's contacts who asked for invoice e-mail and confirmed their address (the rule for support e-mail). Each address once.
/// </summary>
public static class InvoiceRecipients
{
    /// <summary>A user (with <see cref="UserId"/>, who may follow a link to the invoice) or a contact (who never logs in).</summary>
    public sealed record Recipient(string Email, string? FirstName, int? UserId);

    public static async Task<IReadOnlyList<Recipient>> ForAsync(PortalDbContext db, int clientId, int? orderUserId, CancellationToken cancellationToken)
    {
        var ownerId = await db.Clients.Where(c => c.Id == clientId).Select(c => (int?)c.OwnerUserId).SingleOrDefaultAsync(cancellationToken);
        if (ownerId is null)
        {
            return [];
        }

        var users = await PermissionHolders.AmongAsync(db, clientId, Permission.Invoices, orderUserId is { } placer ? [ownerId.Value, placer] : [ownerId.Value], cancellationToken);
        var contacts = await db.Contacts.AsNoTracking()
            .Where(c => c.ClientId == clientId && c.ReceivesInvoices && c.ConfirmedAt != null)
            .OrderBy(c => c.Id)
            .Select(c => new Recipient(c.Email, c.Name, null))
            .ToListAsync(cancellationToken);
        return users.Select(u => new Recipient(u.Email, u.FirstName, u.UserId)).Concat(contacts)
            .Where(r => !string.IsNullOrWhiteSpace(r.Email))
            .DistinctBy(r => EmailAddress.Normalize(r.Email)).ToList();
    }
}
