using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Clients;
using Portal.Features.Settings;

namespace Portal.Features.Membership;

/// <summary>
/// Changes what a non-owner user may do in a client account. The form carries the association's version, so that two
/// people saving at once cannot silently overwrite each other. Used by the owner and by admins.
/// </summary>
public static class ManagePermissions
{
    public sealed record Query(int ClientId, int UserId) : IQuery<Current?>;

    public sealed record Current(int ClientId, string ClientName, int UserId, string Name, string Email, bool IsOwner, PermissionSet Permissions, int Version);

    internal sealed class QueryHandler(PortalDbContext db) : IQueryHandler<Query, Current?>
    {
        public async ValueTask<Current?> Handle(Query query, CancellationToken cancellationToken)
        {
            var row = await db.ClientUsers
                .Where(cu => cu.ClientId == query.ClientId && cu.UserId == query.UserId)
                .Select(cu => new
                {
                    cu.UserId, cu.User.FirstName, cu.User.LastName, cu.User.Email, cu.Client.OwnerUserId, cu.StoredPermissions, cu.Version,
                    ClientFirstName = cu.Client.FirstName, ClientLastName = cu.Client.LastName, cu.Client.CompanyName,
                })
                .SingleOrDefaultAsync(cancellationToken);
            return row is null
                ? null
                : new Current(query.ClientId, Client.DisplayNameOf(row.ClientFirstName, row.ClientLastName, row.CompanyName), row.UserId,
                    $"{row.FirstName} {row.LastName}".Trim(), row.Email ?? "", row.OwnerUserId == row.UserId,
                    ClientUser.Effective(row.OwnerUserId == row.UserId, row.StoredPermissions), row.Version);
        }
    }

    public sealed class Command : PermissionsForm, ICommand
    {
        [Microsoft.AspNetCore.Mvc.ModelBinding.BindNever]
        public int ClientId { get; init; }

        [Microsoft.AspNetCore.Mvc.ModelBinding.BindNever]
        public int UserId { get; init; }

        /// <summary>The version the editor saw when the form was loaded.</summary>
        public int Version { get; init; }
    }

    public const string Conflict = "Someone else changed these permissions while you were editing. Review the current permissions and save again.";

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => this.AddPermissionRules();
    }

    internal sealed class Handler(PortalDbContext db, ActivityWriter activity, SystemSettings settings) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var association = await db.ClientUsers.Include(cu => cu.Client).Include(cu => cu.User)
                .SingleOrDefaultAsync(cu => cu.ClientId == command.ClientId && cu.UserId == command.UserId, cancellationToken);
            if (association is null)
            {
                throw Refuse.NotFound($"User {command.UserId} of client {command.ClientId}");
            }

            if (association.CannotChangePermissions() is { } refusal)
            {
                throw Refuse.Because(refusal);
            }

            if (association.Version != command.Version)
            {
                throw Refuse.Conflict(Conflict, nameof(Command.Version));
            }

            // A permission of a module not offered is neither shown nor granted, and one granted on its own is kept; "All
            // Permissions" narrowed to a chosen set becomes just that set.
            var before = association.Permissions;
            var offered = Permissions.Offered((await settings.GetAsync(cancellationToken)).Modules);
            var kept = before.IsEvery ? PermissionSet.Of([]) : before.Except(offered);
            var after = command.Granted(offered).Union(kept);
            if (before == after)
            {
                return Unit.Value;
            }

            // The update only matches the row at the version the form was loaded with; a save in between makes it miss.
            db.Entry(association).Property(cu => cu.Version).OriginalValue = command.Version;
            association.ChangePermissions(after);
            activity.Record(
                $"User {association.User.Email} permissions for {association.Client.DisplayName} (#{association.ClientId}) changed from {before.ForLog()} to {after.ForLog()}",
                association.ClientId);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                throw Refuse.Conflict(Conflict, nameof(Command.Version));
            }

            return Unit.Value;
        }
    }
}
