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
using Portal.Infrastructure.Mediator;

namespace Portal.Features.InviteUser;

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

/// <summary>
/// Sending a new invitation, for the owner's invite form and the admin's "Send Invite" on the Users tab. The caller's
/// transaction (<see cref="ITransactional"/>) holds the write lock, so the checks here see any invitation sent a moment ago.
/// </summary>
public sealed class Invitations(
    PortalDbContext db, InvitationMail mail, SystemSettings settings, ActivityWriter activity, IConfiguration configuration, TimeProvider time)
{
    /// <summary>Adds the invitation, its e-mail and its log entry to the caller's save; refusals go beside <paramref name="field"/>.</summary>
    public async Task<Invitation> InviteAsync(Client client, string email, PermissionSet permissions, string field, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await InviteUser.RefuseWhenOverLimitAsync(db, configuration, client.Id, now, cancellationToken);
        if (await InviteUser.IsMemberAsync(db, client.Id, email, cancellationToken))
        {
            throw Refuse.Because(field, InviteUser.AlreadyAssociated);
        }

        if (await InviteUser.HasPendingInviteAsync(db, client.Id, email, now, cancellationToken))
        {
            throw Refuse.Because(field, InviteUser.ActiveInviteExists(email));
        }

        var validity = (await settings.GetAsync(cancellationToken)).InvitationValidity;
        var token = Tokens.New();
        var (byUser, byAdmin) = activity.CurrentActor;
        var invitation = Invitation.Create(client.Id, email, permissions, byUser, byAdmin, Tokens.Hash(token), now, validity);
        db.Invitations.Add(invitation);
        await mail.QueueAsync(invitation, client, token, cancellationToken);
        activity.Record($"Invited {email} to {client.DisplayName} (#{client.Id}) with permissions {permissions.ForLog()}", client.Id);
        return invitation;
    }
}

/// <summary>The invitation e-mail, shared by sending, resending and re-issuing.</summary>
public sealed class InvitationMail(PortalDbContext db, Outbox outbox, IOptions<PortalOptions> portal)
{
    public async Task QueueAsync(Invitation invitation, Client client, string token, CancellationToken cancellationToken)
    {
        var sender = await SenderNameAsync(invitation, cancellationToken);
        var link = outbox.Link($"/invite/{token}");
        outbox.Queue(invitation.Email, new Infrastructure.Email.Templates.InvitationMail(client.DisplayName, sender, invitation.Email, link, invitation.ExpiresAt), client.Id);
    }

    public async Task<string> SenderNameAsync(Invitation invitation, CancellationToken cancellationToken)
    {
        if (invitation.InvitedByUserId is { } userId)
        {
            var user = await db.Users.Where(u => u.Id == userId).Select(u => new { u.FirstName, u.LastName }).SingleOrDefaultAsync(cancellationToken);
            if (user is not null)
            {
                return $"{user.FirstName} {user.LastName}".Trim();
            }
        }

        return portal.Value.CompanyName;
    }
}
