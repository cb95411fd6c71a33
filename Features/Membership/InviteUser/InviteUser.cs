using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Email.Templates;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Settings;

namespace Portal.Features.Membership;

/// <summary>
/// Invites someone by e-mail to a client account with a set of permissions. Sent by the account owner from User
/// Management, or by an admin from the client's Users tab. The e-mail carries a one-time link.
/// </summary>
public static class InviteUser
{
    public sealed class Command : PermissionsForm, ICommand<Sent>, ITransactional
    {
        /// <summary>Never bound from a form: the page sets it from the account context or the admin's route.</summary>
        [Microsoft.AspNetCore.Mvc.ModelBinding.BindNever]
        public int ClientId { get; init; }

        public string? Email { get; init; }
    }

    /// <summary>The invitation sent, and until when its link works.</summary>
    public sealed record Sent(int InvitationId, DateTimeOffset ExpiresAt);

    /// <summary>
    /// The form's rules. Whether the address is already a member or invited is the handler's check
    /// (<see cref="Invitations.InviteAsync"/>), made inside its write unit under the account's lock, with the same messages.
    /// </summary>
    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Email).EmailField();
            this.AddPermissionRules();
        }
    }

    internal sealed class Handler(PortalDbContext db, Invitations invitations, SystemSettings settings) : ICommandHandler<Command, Sent>
    {
        public async ValueTask<Sent> Handle(Command command, CancellationToken cancellationToken)
        {
            var client = await db.Clients.SingleOrDefaultAsync(c => c.Id == command.ClientId, cancellationToken)
                ?? throw Refuse.Because("That client account does not exist.");
            var granted = command.Granted(Permissions.Offered((await settings.GetAsync(cancellationToken)).Modules));
            var invitation = await invitations.InviteAsync(client, command.Email!.Trim(), granted, nameof(Command.Email), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return new Sent(invitation.Id, invitation.ExpiresAt);
        }
    }
}
