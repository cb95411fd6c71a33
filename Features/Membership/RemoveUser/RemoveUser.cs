using FluentValidation;
using Mediator;
using Portal.Features.Shared;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Membership;

/// <summary>
/// Removes a user's access to a client account, for the owner (User Management) and for admins (Users tab). Never
/// the owner: ownership must move first. The user's login and their other accounts are untouched; their sessions
/// lose this account on their next request.
/// </summary>
public static class RemoveUser
{
    public sealed class Command : ConfirmedForClientUser, ICommand<string>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => this.RequireConfirmation("Tick the box to confirm the removal.");
    }

    internal sealed class Handler(PortalDbContext db, ActivityWriter activity) : ICommandHandler<Command, string>
    {
        public async ValueTask<string> Handle(Command command, CancellationToken cancellationToken)
        {
            var association = await db.ClientUsers.Include(cu => cu.Client).Include(cu => cu.User)
                .SingleOrDefaultAsync(cu => cu.ClientId == command.ClientId && cu.UserId == command.UserId, cancellationToken);
            if (association is null)
            {
                throw Refuse.NotFound($"User {command.UserId} of client {command.ClientId}");
            }

            if (association.CannotRemove() is { } refusal)
            {
                throw Refuse.Because(refusal);
            }

            db.ClientUsers.Remove(association);
            activity.Record($"User {association.User.Email} access removed from {association.Client.DisplayName} (#{association.ClientId})", association.ClientId);

            // An ownership transfer to this user in between changes the association's version and makes the delete miss.
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                throw Refuse.Conflict("Someone else changed this user's access at the same time. Review it and try again.");
            }

            return association.User.Email ?? "";
        }
    }
}
