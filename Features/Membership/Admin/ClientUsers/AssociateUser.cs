using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Clients;
using Portal.Features.Settings;

namespace Portal.Features.Membership;

/// <summary>
/// The admin gives an existing user access to a client account with the chosen permissions: at once, or (with Send
/// Invite) by e-mailing them an invitation to accept. Either way every refusal lands beside the chosen user.
/// </summary>
public static class AssociateUser
{
    public const string AlreadyAssociated = "User is already associated with client";
    public const string UnknownUser = "Choose a user from the search results.";

    public sealed class Command : PermissionsForm, ICommand<Result>, ITransactional
    {
        [BindNever]
        public int ClientId { get; set; }

        public int? UserId { get; init; }

        /// <summary>Bound by the page from its Send Invite toggle.</summary>
        [BindNever]
        public bool SendInvite { get; set; }
    }

    /// <summary><paramref name="InvitedEmail"/>: the address an invitation went to, or null when access was given at once.</summary>
    public sealed record Result(string? InvitedEmail);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.UserId).NotNull().WithMessage(UnknownUser);
            this.AddPermissionRules();
        }
    }

    internal sealed class Handler(PortalDbContext db, Invitations invitations, ActivityWriter activity, SystemSettings settings) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            if (!await db.LockAsync<Client>(command.ClientId, cancellationToken))
            {
                throw Refuse.NotFound($"Client {command.ClientId}");
            }

            var client = await db.Clients.SingleAsync(c => c.Id == command.ClientId, cancellationToken);
            var user = await db.Users.SingleOrDefaultAsync(u => u.Id == command.UserId, cancellationToken)
                ?? throw Refuse.Because(nameof(Command.UserId), UnknownUser);
            var permissions = command.Granted(Permissions.Offered((await settings.GetAsync(cancellationToken)).Modules));
            if (command.SendInvite)
            {
                await invitations.InviteAsync(client, user.Email ?? "", permissions, nameof(Command.UserId), cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                return new Result(user.Email);
            }

            if (await db.ClientUsers.AnyAsync(cu => cu.ClientId == client.Id && cu.UserId == user.Id, cancellationToken))
            {
                throw Refuse.Because(nameof(Command.UserId), AlreadyAssociated);
            }

            db.ClientUsers.Add(ClientUser.Associate(client, user, permissions));
            activity.Record($"User {user.Email} granted access to {client.DisplayName} (#{client.Id}) with permissions {permissions.ForLog()}", client.Id);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (Contention.IsUniqueViolation(e))
            {
                // The unique (ClientId, UserId) index: another admin associated the same user a moment ago.
                throw Refuse.Because(nameof(Command.UserId), AlreadyAssociated);
            }

            return new Result(null);
        }
    }
}
