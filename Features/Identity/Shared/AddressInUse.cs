using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;

namespace Portal.Features.Identity;

/// <summary>
/// Tells the owner of an address that already has a login that someone tried to use it (<see cref="AddressInUseMail"/>),
/// at most <see cref="MaxPerHour"/> times an hour, so that the forms that say nothing about taken addresses cannot be used
/// to flood that inbox either.
/// </summary>
public sealed class AddressInUse(PortalDbContext db, Outbox outbox, TimeProvider time)
{
    public const int MaxPerHour = 3;

    /// <summary>Adds the notice to the unit of work, unless the hour's notices to that login are spent; says whether it did.</summary>
    public async Task<bool> TellAsync(User owner, AddressInUseMail.Attempt attempt, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - TimeSpan.FromHours(1);
        var kind = Outbox.KindOf(typeof(AddressInUseMail));
        if (await db.EmailMessages.CountAsync(m => m.UserId == owner.Id && m.Kind == kind && m.CreatedAt > since, cancellationToken) >= MaxPerHour)
        {
            return false;
        }

        outbox.Queue(owner.Email!, new AddressInUseMail(owner.FirstName, owner.Email!, attempt, outbox.Link("/login"), outbox.Link("/password/forgot")), userId: owner.Id);
        return true;
    }
}
