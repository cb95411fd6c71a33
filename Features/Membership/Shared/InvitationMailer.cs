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
using Portal.Features.Clients;

namespace Portal.Features.Membership;

/// <summary>The invitation e-mail, shared by sending, resending and re-issuing.</summary>
public sealed class InvitationMailer(PortalDbContext db, Outbox outbox, IOptions<PortalOptions> portal)
{
    public async Task QueueAsync(Invitation invitation, Client client, string token, CancellationToken cancellationToken)
    {
        var sender = await SenderNameAsync(invitation, cancellationToken);
        var link = outbox.Link($"/invite/{token}");
        outbox.Queue(invitation.Email, new InvitationMail(client.DisplayName, sender, invitation.Email, link, invitation.ExpiresAt), client.Id);
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
