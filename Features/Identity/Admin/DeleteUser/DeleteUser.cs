using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Identity;

/// <summary>
/// Permanently deletes a user login that no longer reaches any client account. Its session rows go with it, so every
/// cookie of the user is refused on its next request.
/// </summary>
public static class DeleteUser
{
    public const string HasAssociations = "All account associations must be removed prior to deletion";

    public sealed class Command : ICommand, ITransactional, IConfirmed
    {
        [BindNever]
        public int UserId { get; set; }

        public bool Confirm { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => this.RequireConfirmation("Tick the box to confirm that the user is deleted for good.");
    }

    internal sealed class Handler(PortalDbContext db, ActivityWriter activity) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            // Locked the way a delete locks it: an association being added right now is committed first, and blocks the delete.
            if (!await db.LockToDeleteAsync<User>(command.UserId, cancellationToken))
            {
                throw Refuse.NotFound($"User {command.UserId}");
            }

            var email = await db.Users.Where(u => u.Id == command.UserId).Select(u => u.Email).SingleAsync(cancellationToken);


            // One conditional statement: an association added a moment ago blocks the delete instead of being cascaded away.
            var deleted = await db.Users
                .Where(u => u.Id == command.UserId && !db.ClientUsers.Any(cu => cu.UserId == u.Id))
                .ExecuteDeleteAsync(cancellationToken);
            if (deleted == 0)
            {
                throw Refuse.Because(HasAssociations);
            }

            activity.Record($"Permanently deleted user {email} (#{command.UserId})");
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }
}
