using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Mediator;

namespace Portal.Features.Admin.RemoveClientUser;

/// <summary>
/// Removes a user's access to a client account; the user keeps their login and other accounts. Never the owner:
/// ownership must move first. The user's sessions lose the account on their next request.
/// </summary>
public static class RemoveClientUser
{
    public const string OwnerCannotBeRemoved = "The account owner cannot be removed. Make another user the owner first.";

    public sealed class Command : ICommand
    {
        [BindNever]
        public int ClientId { get; set; }

        [BindNever]
        public int UserId { get; set; }

        public bool Confirm { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(x => x.Confirm).Equal(true).WithMessage("Tick the box to confirm the removal.");
    }

    internal sealed class Handler(PortalDbContext db, ActivityWriter activity) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var association = await db.ClientUsers.Include(cu => cu.Client).Include(cu => cu.User)
                .SingleOrDefaultAsync(cu => cu.ClientId == command.ClientId && cu.UserId == command.UserId, cancellationToken)
                ?? throw new KeyNotFoundException($"User {command.UserId} of client {command.ClientId}");
            if (association.IsOwner)
            {
                throw Refuse.Because(OwnerCannotBeRemoved);
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
                throw Refuse.Because("Someone else changed this user's access at the same time. Review it and try again.");
            }

            return Unit.Value;
        }
    }
}
