using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Features.Admin.Home;

/// <summary>The admin area's front page: how many client accounts, users and pending invitations there are.</summary>
public static class AdminHome
{
    public sealed record Query : IQuery<Counts>;

    public sealed record Counts(int Clients, int Users, int PendingInvitations);

    internal sealed class Handler(PortalDbContext db) : IQueryHandler<Query, Counts>
    {
        public async ValueTask<Counts> Handle(Query query, CancellationToken cancellationToken) => new(
            await db.Clients.CountAsync(cancellationToken),
            await db.Users.CountAsync(cancellationToken),
            await db.Invitations.CountAsync(i => i.Status == InvitationStatus.Pending, cancellationToken));
    }
}
