using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Settings;
using Portal.Features.Identity;
using Portal.Features.Clients;

namespace Portal.Features.Membership;

/// <summary>The accept step shared by the three ways to accept; it adds to the caller's transaction.</summary>
public sealed class Acceptance(PortalDbContext db, SystemSettings settings, ActivityWriter activity, Outbox outbox, TimeProvider time)
{
    public static async Task<Invitation?> FindUsableAsync(PortalDbContext db, string? token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }

        var hash = Tokens.Hash(token);
        var invitation = await db.Invitations.Include(i => i.Client).SingleOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        return invitation is not null && invitation.IsUsable(now) && invitation.Client.Status != ClientStatus.Closed ? invitation : null;
    }

    /// <summary>The usable invitation of the link, or not found (the page says no pending invite matches it).</summary>
    public async Task<Invitation> FindAsync(string? token, CancellationToken cancellationToken) =>
        await FindUsableAsync(db, token, time.GetUtcNow(), cancellationToken)
        ?? throw Refuse.NotFound("Invitation");

    /// <summary>The "only the invited e-mail may accept" setting refuses <paramref name="email"/>.</summary>
    public async Task<bool> IsRefusedAsync(Invitation invitation, string? email, CancellationToken cancellationToken) =>
        (await settings.GetAsync(cancellationToken)).OnlyInvitedEmailMayAccept
        && !invitation.IsFor(email?.Trim());

    /// <summary>
    /// Who answers for an invitation now: the admin who sent it, or else the account's owner today. A user who invited
    /// and no longer owns the account is not told; the owner is.
    /// </summary>
    public async Task<(string? Email, int? UserId)> InviterAsync(Invitation invitation, CancellationToken cancellationToken) =>
        invitation.InvitedByAdminId is { } byAdmin
            ? (await db.Admins.Where(a => a.Id == byAdmin).Select(a => a.Email).SingleOrDefaultAsync(cancellationToken), (int?)null)
            : await PermissionHolders.OwnerAsync(db, invitation.ClientId, cancellationToken) is { } owner ? (owner.Email, owner.UserId) : (null, null);

    public async Task<AcceptInvitation.Result> AcceptAsync(Invitation invitation, User user, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var client = invitation.Client;
        if (await db.ClientUsers.AnyAsync(cu => cu.ClientId == client.Id && cu.UserId == user.Id, cancellationToken))
        {
            return new AcceptInvitation.Result(AcceptInvitation.Outcome.AlreadyMember, client.Id, client.DisplayName);
        }

        db.ClientUsers.Add(invitation.Accept(user, now));
        if (invitation.IsFor(user.Email))
        {
            user.EmailConfirmed = true;
        }

        activity.ForUser(user.Id, client.Id,
            $"User {user.Email} accepted the invitation sent to {invitation.Email} and was granted access to {client.DisplayName} (#{client.Id}) with permissions {invitation.PermissionSet.ForLog()}");

        // Whoever answers for the invitation hears that it was taken up, in the same transaction as the membership.
        var (inviter, inviterUserId) = await InviterAsync(invitation, cancellationToken);
        if (!string.IsNullOrEmpty(inviter) && inviterUserId != user.Id)
        {
            outbox.Queue(inviter, new InvitationAcceptedMail(
                    client.DisplayName, $"{user.FirstName} {user.LastName} ({user.Email})".Trim(), invitation.Email, invitation.PermissionSet.Describe(),
                    inviterUserId is null ? null : outbox.Link("/account/users")),
                client.Id, inviterUserId);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The invitation's status and token are concurrency tokens: another accept (or a re-issue) of the link won.
            // The whole transaction, a login it created included, is rolled back.
            db.ChangeTracker.Clear();
            throw Refuse.NotFound("Invitation");
        }
        catch (DbUpdateException e) when (Contention.IsUniqueViolation(e))
        {
            // The unique (ClientId, UserId) index: the same user accepted another invitation to this account a moment ago.
            db.ChangeTracker.Clear();
            throw Refuse.Conflict($"You already have access to {client.DisplayName}. Nothing was changed.");
        }

        return new AcceptInvitation.Result(AcceptInvitation.Outcome.Accepted, client.Id, client.DisplayName);
    }
}
