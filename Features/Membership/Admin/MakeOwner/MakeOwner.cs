using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Clients;

namespace Portal.Features.Membership;

/// <summary>
/// Transfers a client account's ownership to another associated user. The new owner gets every permission; the
/// previous owner stays associated, with every permission.
/// </summary>
public static class MakeOwner
{
    public const string Conflict = "Someone else changed this account's users at the same time. Review them and try again.";

    public sealed class Command : ConfirmedForClientUser, ICommand, ITransactional;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => this.RequireConfirmation("Tick the box to confirm the change of owner.");
    }

    internal sealed class Handler(PortalDbContext db, ActivityWriter activity) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            if (!await db.LockAsync<Client>(command.ClientId, cancellationToken))
            {
                throw Refuse.NotFound($"Client {command.ClientId}");
            }

            var client = await db.Clients.Include(c => c.Users).ThenInclude(cu => cu.User)
                .SingleOrDefaultAsync(c => c.Id == command.ClientId, cancellationToken)
                ?? throw Refuse.NotFound($"Client {command.ClientId}");
            var newOwner = client.Users.SingleOrDefault(cu => cu.UserId == command.UserId)
                ?? throw Refuse.NotFound($"User {command.UserId} of client {command.ClientId}");
            if (client.CannotTransferTo(newOwner) is { } refusal)
            {
                throw Refuse.Because(refusal);
            }

            var previous = client.TransferOwnership(newOwner);

            activity.Record($"User {newOwner.User.Email} ownership granted for {client.DisplayName} (#{client.Id})", client.Id);
            activity.Record($"User {previous.User.Email} ownership removed for {client.DisplayName} (#{client.Id}); keeps access with All Permissions", client.Id);

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                throw Refuse.Conflict(Conflict);
            }

            return Unit.Value;
        }
    }
}
