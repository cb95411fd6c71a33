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
/// Sending a new invitation, for the owner's invite form and the admin's "Send Invite" on the Users tab. The caller's
/// transaction (<see cref="ITransactional"/>) holds the write lock, so the checks here see any invitation sent a moment ago.
/// </summary>
public sealed class Invitations(
    PortalDbContext db, InvitationMailer mail, SystemSettings settings, ActivityWriter activity, IConfiguration configuration, TimeProvider time)
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
