using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Features.InviteUser;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Mediator;

namespace Portal.Features.AcceptInvitation;

/// <summary>
/// Accepting an invitation link. Whoever holds a valid link may accept it with any user (it is not e-mail
/// verification), unless the admin made invitations e-mail-bound. The link is consumed atomically: of two
/// simultaneous accepts, exactly one wins.
/// </summary>
public static class AcceptInvitation
{
    public const string NoPendingInvite = "No pending invite matches this link. It may have expired, been cancelled or already been used.";

    public sealed record Query(string? Token) : IQuery<View?>;

    public sealed record View(int ClientId, string ClientName, string InvitedEmail, string SentBy, DateTimeOffset ExpiresAt);

    internal sealed class QueryHandler(PortalDbContext db, InvitationMail mail, TimeProvider time) : IQueryHandler<Query, View?>
    {
        public async ValueTask<View?> Handle(Query query, CancellationToken cancellationToken)
        {
            var invitation = await FindUsableAsync(db, query.Token, time.GetUtcNow(), cancellationToken);
            return invitation is null
                ? null
                : new View(invitation.ClientId, invitation.Client.DisplayName, invitation.Email, await mail.SenderNameAsync(invitation, cancellationToken), invitation.ExpiresAt);
        }
    }

    internal static async Task<Invitation?> FindUsableAsync(PortalDbContext db, string? token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }

        var hash = Tokens.Hash(token);
        var invitation = await db.Invitations.Include(i => i.Client).SingleOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        return invitation is not null && invitation.IsUsable(now) && invitation.Client.Status != ClientStatus.Closed ? invitation : null;
    }

    public enum Outcome
    {
        Accepted,
        NoPendingInvite,
        AlreadyMember,
        WrongEmail,
    }

    public sealed record Result(Outcome Outcome, int ClientId = 0, string ClientName = "");

    /// <summary>Accepts the invitation for an existing user. The page supplies the user: the signed-in one, or the one who just logged in or registered.</summary>
    public sealed record Command(string? Token, int UserId) : ICommand<Result>;

    internal sealed class Handler(PortalDbContext db, SystemSettings settings, ActivityWriter activity, TimeProvider time) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var invitation = await FindUsableAsync(db, command.Token, now, cancellationToken);
            if (invitation is null)
            {
                return new Result(Outcome.NoPendingInvite);
            }

            var client = invitation.Client;
            var user = await db.Users.SingleAsync(u => u.Id == command.UserId, cancellationToken);
            var sameEmail = invitation.IsFor(user.Email);
            if ((await settings.GetAsync(cancellationToken)).OnlyInvitedEmailMayAccept && !sameEmail)
            {
                return new Result(Outcome.WrongEmail, client.Id, client.DisplayName);
            }

            if (await db.ClientUsers.AnyAsync(cu => cu.ClientId == client.Id && cu.UserId == user.Id, cancellationToken))
            {
                return new Result(Outcome.AlreadyMember, client.Id, client.DisplayName);
            }

            db.ClientUsers.Add(invitation.Accept(user, now));
            if (sameEmail)
            {
                user.EmailConfirmed = true;
            }

            activity.ForUser(user.Id, client.Id,
                $"User {user.Email} accepted the invitation sent to {invitation.Email} and was granted access to {client.DisplayName} (#{client.Id}) with permissions {invitation.PermissionSet.ForLog()}");
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // The invitation's status and token are concurrency tokens: the save is a conditional update whose row
                // count decides the winner between simultaneous accepts (or an accept and a re-issue) of one link.
                return new Result(Outcome.NoPendingInvite);
            }
            catch (DbUpdateException)
            {
                return new Result(Outcome.AlreadyMember, client.Id, client.DisplayName);
            }

            await transaction.CommitAsync(cancellationToken);
            return new Result(Outcome.Accepted, client.Id, client.DisplayName);
        }
    }

    /// <summary>A new login created from the invitation page: no client account of its own.</summary>
    public sealed class Register : ICommand<int>
    {
        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public string? Email { get; init; }
        public string? Password { get; init; }
    }

    public const string EmailTaken = "A user already exists with that email address. Log in instead to accept the invitation.";

    public sealed class RegisterValidator : AbstractValidator<Register>
    {
        public RegisterValidator()
        {
            RuleFor(x => x.FirstName).RequiredText("First name", FieldLengths.Name);
            RuleFor(x => x.LastName).RequiredText("Last name", FieldLengths.Name);
            RuleFor(x => x.Email).EmailField();
            RuleFor(x => x.Password).NewPassword(x => [x.Email, x.FirstName, x.LastName]);
        }
    }

    internal sealed class RegisterHandler(PortalDbContext db, UserManager<User> users, ClientSignIn signIn, ActivityWriter activity, TimeProvider time)
        : ICommandHandler<Register, int>
    {
        public async ValueTask<int> Handle(Register command, CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            var email = command.Email!.Trim();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var user = new User
            {
                UserName = email,
                Email = email,
                FirstName = command.FirstName!.Trim(),
                LastName = command.LastName!.Trim(),
                CreatedAt = now,
                LastLoginAt = now,
            };
            var created = await users.CreateAsync(user, command.Password!);
            created.RefuseUnlessSucceeded(EmailTaken, nameof(Register.Password));

            var session = signIn.StartSession(user, remember: false);
            activity.ForUser(user.Id, null, $"Registered user {user.Email} from an invitation");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            await signIn.IssueCookieAsync(user, session.Id, null);
            return user.Id;
        }
    }
}
