using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Auth;

/// <summary>
/// The page shows one object of a client account (an invoice, a ticket, a service), named by the route value
/// <see cref="RouteValue"/>. A link to it may come from an e-mail or a bookmark while another of the user's accounts is
/// active: <see cref="AccountAccessFilter"/> then asks "Continue as B?" instead of answering not found, when the user may
/// see the object in its account, and gives the neutral 404 otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public abstract class AccountObjectAttribute(string routeValue) : Attribute
{
    public string RouteValue { get; } = routeValue;

    /// <summary>The client account the object belongs to; null when there is no such object or it belongs to none.</summary>
    public abstract Task<int?> AccountOfAsync(PortalDbContext db, int id, CancellationToken cancellationToken);
}

/// <summary>The page shows the <typeparamref name="TEntity"/> (an entity with an int <c>Id</c> and a <c>ClientId</c>) named by the route value.</summary>
public sealed class AccountObjectAttribute<TEntity>(string routeValue = "id") : AccountObjectAttribute(routeValue)
    where TEntity : class
{
    public override async Task<int?> AccountOfAsync(PortalDbContext db, int id, CancellationToken cancellationToken)
    {
        var objects = db.Set<TEntity>().AsNoTracking().Where(e => EF.Property<int>(e, "Id") == id);
        var clientId = db.Model.FindEntityType(typeof(TEntity))?.FindProperty("ClientId")
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} has no ClientId: it is not an object of an account.");
        return clientId.ClrType == typeof(int)
            ? await objects.Select(e => (int?)EF.Property<int>(e, "ClientId")).FirstOrDefaultAsync(cancellationToken)
            : await objects.Select(e => EF.Property<int?>(e, "ClientId")).FirstOrDefaultAsync(cancellationToken);
    }
}
