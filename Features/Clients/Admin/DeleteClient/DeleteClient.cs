using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Identity;

namespace Portal.Features.Clients;

/// <summary>
/// Deletes a client account with all of its history (associations, invitations, e-mails) in one transaction and,
/// when asked, the users who reach no other account. Users with other accounts always survive; deleted users'
/// sessions end with them.
/// </summary>
public static class DeleteClient
{
    public sealed record Query(int ClientId) : IQuery<Preview?>;

    public sealed record Preview(int ClientId, string DisplayName, ClientStatus Status, IReadOnlyList<UserRow> Users);

    /// <summary><paramref name="OnlyThisClient"/>: the user reaches no other account, so the toggle deletes them.</summary>
    public sealed record UserRow(int UserId, string Name, string Email, bool IsOwner, bool OnlyThisClient);

    public sealed class Command : ICommand<Result>, ITransactional, IConfirmed
    {
        [BindNever]
        public int ClientId { get; set; }

        public bool DeleteUsers { get; init; }
        public bool Confirm { get; init; }
    }

    public sealed record Result(string DisplayName, int DeletedUsers);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => this.RequireConfirmation("Tick the box to confirm that the client and its history are deleted for good.");
    }

    internal sealed class QueryHandler(PortalDbContext db) : IQueryHandler<Query, Preview?>
    {
        public async ValueTask<Preview?> Handle(Query query, CancellationToken cancellationToken)
        {
            var client = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == query.ClientId, cancellationToken);
            if (client is null)
            {
                return null;
            }

            var users = await db.ClientUsers.AsNoTracking()
                .Where(cu => cu.ClientId == client.Id)
                .OrderBy(cu => cu.UserId != client.OwnerUserId).ThenBy(cu => cu.UserId)
                .Select(cu => new UserRow(
                    cu.UserId, cu.User.FirstName + " " + cu.User.LastName, cu.User.Email ?? "", cu.UserId == client.OwnerUserId,
                    !db.ClientUsers.Any(other => other.UserId == cu.UserId && other.ClientId != client.Id)))
                .ToListAsync(cancellationToken);
            return new Preview(client.Id, client.DisplayName, client.Status, users);
        }
    }

    internal sealed class Handler(PortalDbContext db, ActivityWriter activity) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            if (!await db.LockToDeleteAsync<Client>(command.ClientId, cancellationToken))
            {
                throw Refuse.NotFound($"Client {command.ClientId}");
            }

            var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == command.ClientId, cancellationToken);
            var userIds = await db.ClientUsers.Where(cu => cu.ClientId == client.Id).Select(cu => cu.UserId).OrderBy(id => id).ToListAsync(cancellationToken);
            if (command.DeleteUsers)
            {
                // Each user's row is locked the way a delete locks it, so that an association of theirs to another account
                // being added right now is committed first, and the check below sees it.
                foreach (var userId in userIds)
                {
                    await db.LockToDeleteAsync<User>(userId, cancellationToken);
                }
            }

            // The client goes first: its owner reference (restricted) would otherwise block deleting the owner user.
            // Associations, invitations and e-mail history cascade with it.
            await db.Clients.Where(c => c.Id == client.Id).ExecuteDeleteAsync(cancellationToken);

            var deletedEmails = new List<string>();
            if (command.DeleteUsers && userIds.Count > 0)
            {
                // Only users left with no association at all: anyone who reaches another account survives. Their sessions cascade.
                var orphans = db.Users.Where(u => userIds.Contains(u.Id) && !db.ClientUsers.Any(cu => cu.UserId == u.Id)
                    && !db.Clients.Any(c => c.OwnerUserId == u.Id));
                deletedEmails = await orphans.Select(u => u.Email ?? "").ToListAsync(cancellationToken);
                await orphans.ExecuteDeleteAsync(cancellationToken);
            }

            activity.Record(
                $"Deleted client {client.DisplayName} (#{client.Id}) with all its history"
                + (command.DeleteUsers ? $"; deleted users only associated with it: {(deletedEmails.Count == 0 ? "none" : string.Join(", ", deletedEmails))}" : ""),
                client.Id);
            await db.SaveChangesAsync(cancellationToken);
            return new Result(client.DisplayName, deletedEmails.Count);
        }
    }
}
