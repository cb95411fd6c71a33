using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Mediator;

namespace Portal.Features.Admin.ClientUserPermissions;

/// <summary>
/// The admin changes what a non-owner user may do in a client account. The form carries the association's version:
/// when someone else saved in between, nothing changes and the admin reviews the current permissions.
/// </summary>
public static class ChangePermissions
{
    public const string Conflict = "Someone else changed these permissions while you were editing. Review the current permissions and save again.";
    public const string OwnerHasEverything = "The account owner always has every permission. Make another user the owner first.";

    public sealed record Query(int ClientId, int UserId) : IQuery<Form?>;

    public sealed record Form(int ClientId, string ClientName, int UserId, string UserName, string Email, bool IsOwner, int Version, PermissionSet Permissions);

    public sealed class Command : PermissionsForm, ICommand
    {
        [BindNever]
        public int ClientId { get; set; }

        [BindNever]
        public int UserId { get; set; }

        public int Version { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => this.AddPermissionRules();
    }

    internal sealed class QueryHandler(PortalDbContext db) : IQueryHandler<Query, Form?>
    {
        public async ValueTask<Form?> Handle(Query query, CancellationToken cancellationToken)
        {
            var row = await db.ClientUsers.AsNoTracking()
                .Where(cu => cu.ClientId == query.ClientId && cu.UserId == query.UserId)
                .Select(cu => new
                {
                    cu.Client.FirstName, cu.Client.LastName, cu.Client.CompanyName, cu.Client.OwnerUserId,
                    UserFirst = cu.User.FirstName, UserLast = cu.User.LastName, cu.User.Email, cu.Version, cu.StoredPermissions,
                })
                .SingleOrDefaultAsync(cancellationToken);
            if (row is null)
            {
                return null;
            }

            var isOwner = row.OwnerUserId == query.UserId;
            return new Form(
                query.ClientId, Client.DisplayNameOf(row.FirstName, row.LastName, row.CompanyName), query.UserId, $"{row.UserFirst} {row.UserLast}".Trim(),
                row.Email ?? "", isOwner, row.Version, ClientUser.Effective(isOwner, row.StoredPermissions));
        }
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
                throw Refuse.Because(OwnerHasEverything);
            }

            if (association.Version != command.Version)
            {
                throw Refuse.Because(nameof(Command.Version), Conflict);
            }

            var before = association.Permissions;
            var after = command.Chosen;
            if (before == after)
            {
                return Unit.Value;
            }

            // The update only matches the row at the version the form was loaded with; a save in between makes it miss.
            db.Entry(association).Property(cu => cu.Version).OriginalValue = command.Version;
            association.ChangePermissions(after);
            activity.Record(
                $"User {association.User.Email} permissions for {association.Client.DisplayName} (#{association.ClientId}) changed from {before.Describe()} to {after.Describe()}",
                association.ClientId);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                throw Refuse.Because(nameof(Command.Version), Conflict);
            }

            return Unit.Value;
        }
    }
}
