using Mediator;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Identity;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Clients;

/// <summary>
/// "Match User and Client Details": copies the owner user's name and e-mail onto the client profile, or the profile's
/// onto the owner user. The two are never kept in step automatically; the admin sees what changes before confirming.
/// </summary>
public static class MatchDetails
{
    public enum Direction
    {
        UserToClient,
        ClientToUser,
    }

    public sealed record Query(int ClientId, Direction Direction) : IQuery<Preview?>;

    public sealed record Preview(int ClientId, string ClientName, int OwnerUserId, string OwnerEmail, Direction Direction, IReadOnlyList<Change> Changes)
    {
        public bool NothingToChange => Changes.All(c => c.Before == c.After);
    }

    public sealed record Change(string Field, string Before, string After);

    public sealed class Command : ICommand
    {
        [BindNever]
        public int ClientId { get; set; }

        public Direction Direction { get; init; }
    }

    private sealed record Details(string FirstName, string LastName, string Email);

    internal sealed class QueryHandler(PortalDbContext db) : IQueryHandler<Query, Preview?>
    {
        public async ValueTask<Preview?> Handle(Query query, CancellationToken cancellationToken)
        {
            var row = await db.Clients.AsNoTracking().Where(c => c.Id == query.ClientId)
                .Select(c => new { c.FirstName, c.LastName, c.CompanyName, c.Email, c.OwnerUserId, OwnerFirst = c.Owner.FirstName, OwnerLast = c.Owner.LastName, OwnerEmail = c.Owner.Email })
                .SingleOrDefaultAsync(cancellationToken);
            if (row is null)
            {
                return null;
            }

            var client = new Details(row.FirstName, row.LastName, row.Email);
            var user = new Details(row.OwnerFirst, row.OwnerLast, row.OwnerEmail ?? "");
            var (from, to) = query.Direction == Direction.UserToClient ? (user, client) : (client, user);
            return new Preview(
                query.ClientId, Client.DisplayNameOf(row.FirstName, row.LastName, row.CompanyName), row.OwnerUserId, user.Email, query.Direction,
                [new("First name", to.FirstName, from.FirstName), new("Last name", to.LastName, from.LastName), new("Email address", to.Email, from.Email)]);
        }
    }

    internal sealed class Handler(PortalDbContext db, ISender sender, ActivityWriter activity) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var client = await db.Clients.Include(c => c.Owner).SingleOrDefaultAsync(c => c.Id == command.ClientId, cancellationToken)
                ?? throw Refuse.NotFound($"Client {command.ClientId}");
            var owner = client.Owner;

            if (command.Direction == Direction.ClientToUser)
            {
                // The same rules as editing the user: the e-mail must be free and becomes unverified.
                await sender.Send(
                    new UpdateUser.Command { UserId = owner.Id, FirstName = client.FirstName, LastName = client.LastName, Email = client.Email, ClientId = client.Id },
                    cancellationToken);
                return Unit.Value;
            }

            var email = owner.Email ?? "";
            if (!string.Equals(client.Email, email, StringComparison.OrdinalIgnoreCase)
                && await ClientEmails.TakenAsync(db, email, client.Id, cancellationToken))
            {
                throw Refuse.Because(ClientEmails.Taken);
            }

            var before = $"{client.FirstName} {client.LastName} <{client.Email}>";
            client.Update(new ClientProfile(
                owner.FirstName, owner.LastName, client.CompanyName, email, client.Address1, client.City, client.State, client.Postcode, client.Country, client.Phone));
            activity.Record(
                $"Copied owner {email}'s name and email onto client {client.DisplayName} (#{client.Id}): was {before}",
                client.Id);
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }
}
