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

    public static string AlreadyAssociated => "User is already associated with client";

    public static string ActiveInviteExists(string email) => $"An active invite already exists for {email}";

    public const string TooMany = "Too many invitations were sent from this account in the last hour. Please try again later.";

    /// <summary>Invitations sent or resent from one account within the last hour: the per-account send limit.</summary>
    public static async Task RefuseWhenOverLimitAsync(PortalDbContext db, IConfiguration configuration, int clientId, DateTimeOffset now, CancellationToken ct)
    {
        var perHour = configuration.GetValue("RateLimits:InvitationsPerHour", 30);
        var since = now.AddHours(-1);
        if (await db.Invitations.CountAsync(i => i.ClientId == clientId && i.CreatedAt > since, ct) >= perHour)
        {
            throw Refuse.Because(TooMany);
        }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(PortalDbContext db, TimeProvider time)
        {
            RuleFor(x => x.Email).EmailField();
            this.AddPermissionRules();
            RuleFor(x => x.Email)
                .MustAsync(async (command, email, ct) => !await IsMemberAsync(db, command.ClientId, email!, ct))
                .WithMessage(AlreadyAssociated)
                .When(x => InputRules.IsEmail(x.Email));
            RuleFor(x => x.Email)
                .MustAsync(async (command, email, ct) => !await HasPendingInviteAsync(db, command.ClientId, email!, time.GetUtcNow(), ct))
                .WithMessage(x => ActiveInviteExists(x.Email!.Trim()))
                .When(x => InputRules.IsEmail(x.Email));
        }
    }

    public static Task<bool> IsMemberAsync(PortalDbContext db, int clientId, string email, CancellationToken ct)
    {
        var normalized = EmailAddress.Normalize(email);
        return db.ClientUsers.AnyAsync(cu => cu.ClientId == clientId && cu.User.NormalizedEmail == normalized, ct);
    }

    public static Task<bool> HasPendingInviteAsync(PortalDbContext db, int clientId, string email, DateTimeOffset now, CancellationToken ct)
    {
        var lowered = email.Trim().ToLowerInvariant();
        return db.Invitations.AnyAsync(i => i.ClientId == clientId && i.Email.ToLower() == lowered && i.Status == InvitationStatus.Pending && i.ExpiresAt > now, ct);
    }

    internal sealed class Handler(PortalDbContext db, Invitations invitations) : ICommandHandler<Command, Sent>
    {
        public async ValueTask<Sent> Handle(Command command, CancellationToken cancellationToken)
        {
            var client = await db.Clients.SingleOrDefaultAsync(c => c.Id == command.ClientId, cancellationToken)
                ?? throw Refuse.Because("That client account does not exist.");
            var invitation = await invitations.InviteAsync(client, command.Email!.Trim(), command.Chosen, nameof(Command.Email), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return new Sent(invitation.Id, invitation.ExpiresAt);
        }
    }
}
