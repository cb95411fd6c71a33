using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Settings;

namespace Portal.Features.Membership;

/// <summary>
/// Resend (or re-issue an expired) invitation with a new link, killing the old one; or cancel it so its link stops
/// working. The invitee is not told about a cancellation. Invitations are always looked up within one client account.
/// </summary>
public static class ManageInvitation
{
    public sealed record Resend(int ClientId, int InvitationId) : ICommand<string>;

    public sealed record Cancel(int ClientId, int InvitationId) : ICommand<string>;

    public sealed record Find(int ClientId, int InvitationId) : IQuery<Summary?>;

    public sealed record Summary(int Id, string Email, DateTimeOffset SentAt);

    internal sealed class FindHandler(PortalDbContext db, TimeProvider time) : IQueryHandler<Find, Summary?>
    {
        public async ValueTask<Summary?> Handle(Find query, CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            return await db.Invitations
                .Where(i => i.ClientId == query.ClientId && i.Id == query.InvitationId && i.Status == InvitationStatus.Pending && i.ExpiresAt > now)
                .Select(i => new Summary(i.Id, i.Email, i.CreatedAt))
                .SingleOrDefaultAsync(cancellationToken);
        }
    }

    internal sealed class ResendHandler(
        PortalDbContext db, InvitationMailer mail, SystemSettings settings, ActivityWriter activity, IConfiguration configuration, TimeProvider time)
        : ICommandHandler<Resend, string>
    {
        public async ValueTask<string> Handle(Resend command, CancellationToken cancellationToken)
        {
            var invitation = await db.Invitations.Include(i => i.Client)
                .SingleOrDefaultAsync(i => i.ClientId == command.ClientId && i.Id == command.InvitationId, cancellationToken);
            if (invitation is null || !invitation.CanBeReissued)
            {
                throw Refuse.NotFound($"Invitation {command.InvitationId} of client {command.ClientId}");
            }

            var now = time.GetUtcNow();
            if (await Invitations.IsMemberAsync(db, invitation.ClientId, invitation.Email, cancellationToken))
            {
                throw Refuse.Because(Invitations.AlreadyAssociated);
            }

            await Invitations.RefuseWhenOverLimitAsync(db, configuration, invitation.ClientId, now, cancellationToken);
            var lapsed = invitation.HasLapsed(now);
            var token = Tokens.New();
            invitation.Reissue(Tokens.Hash(token), now, (await settings.GetAsync(cancellationToken)).InvitationValidity);
            await mail.QueueAsync(invitation, invitation.Client, token, cancellationToken);
            activity.Record($"{(lapsed ? "Re-issued expired" : "Resent")} invitation to {invitation.Email} for {invitation.Client.DisplayName}", invitation.ClientId);
            return await db.SaveUnlessSettledMeanwhileAsync(invitation, cancellationToken);
        }
    }

    internal sealed class CancelHandler(PortalDbContext db, ActivityWriter activity, TimeProvider time) : ICommandHandler<Cancel, string>
    {
        public async ValueTask<string> Handle(Cancel command, CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            var invitation = await db.Invitations.Include(i => i.Client)
                .SingleOrDefaultAsync(i => i.ClientId == command.ClientId && i.Id == command.InvitationId && i.Status == InvitationStatus.Pending, cancellationToken);
            if (invitation is null)
            {
                throw Refuse.NotFound($"Invitation {command.InvitationId} of client {command.ClientId}");
            }

            invitation.Cancel();
            activity.Record($"Cancelled invitation to {invitation.Email} for {invitation.Client.DisplayName}", invitation.ClientId);
            return await db.SaveUnlessSettledMeanwhileAsync(invitation, cancellationToken);
        }
    }

    /// <summary>
    /// Saves the change unless the invitation was accepted, cancelled, expired or re-issued since it was read (its status
    /// and token are concurrency tokens); then the answer is the same as for an invitation that is no longer there.
    /// </summary>
    private static async Task<string> SaveUnlessSettledMeanwhileAsync(this PortalDbContext db, Invitation invitation, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return invitation.Email;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            throw Refuse.NotFound($"Invitation {invitation.Id}");
        }
    }
}
