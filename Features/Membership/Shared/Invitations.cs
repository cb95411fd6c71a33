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
using Portal.Features.Clients;

namespace Portal.Features.Membership;

/// <summary>
/// Sending a new invitation, for the owner's invite form and the admin's "Send Invite" on the Users tab. It runs in the
/// caller's write unit (<see cref="ITransactional"/>) and locks the account first, so the checks here see any invitation
/// sent a moment ago.
/// </summary>
public sealed class Invitations(
    PortalDbContext db, InvitationMailer mail, SystemSettings settings, ActivityWriter activity, IConfiguration configuration, TimeProvider time)
{
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

    /// <summary>Adds the invitation, its e-mail and its log entry to the caller's save; refusals go beside <paramref name="field"/>.</summary>
    public async Task<Invitation> InviteAsync(Client client, string email, PermissionSet permissions, string field, CancellationToken cancellationToken)
    {
        // The account's invitations are counted and searched under its lock: two sends at once take turns.
        await db.LockAsync<Client>(client.Id, cancellationToken);
        var now = time.GetUtcNow();
        if (await IsMemberAsync(db, client.Id, email, cancellationToken))
        {
            throw Refuse.Because(field, AlreadyAssociated);
        }

        if (await HasPendingInviteAsync(db, client.Id, email, now, cancellationToken))
        {
            throw Refuse.Because(field, ActiveInviteExists(email));
        }

        await RefuseWhenOverLimitAsync(db, configuration, client.Id, now, cancellationToken);

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
