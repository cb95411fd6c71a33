using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Identity;

/// <summary>
/// The signed-in admin's own two-factor authentication at /admin/security: off, being set up (QR code and key), or on
/// with the recovery codes left. The same rules as a client user's, on the admin's own row.
/// </summary>
public static class AdminSecurity
{
    public sealed record Query : IQuery<TwoFactorState>;

    internal sealed class Handler(PortalDbContext db, Authenticator authenticator, AdminContext current) : IQueryHandler<Query, TwoFactorState>
    {
        public async ValueTask<TwoFactorState> Handle(Query query, CancellationToken cancellationToken)
        {
            var admin = await db.Admins.AsNoTracking().SingleAsync(a => a.Id == current.AdminId, cancellationToken);
            if (admin.TwoFactorEnabled)
            {
                return new TwoFactorState(true, await db.RecoveryCodes.CountAsync(c => c.AdminId == admin.Id, cancellationToken), null);
            }

            var key = authenticator.Unprotect(admin.AuthenticatorKey);
            return new TwoFactorState(false, 0,
                key is null ? null : new TwoFactorEnrolment(Authenticator.Readable(key), Authenticator.QrSvg(authenticator.UriFor(admin.Email + " (admin)", key))));
        }
    }
}

public static class StartAdminAuthenticator
{
    public sealed record Command : ICommand;

    internal sealed class Handler(PortalDbContext db, Authenticator authenticator, AdminContext current) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var admin = await db.Admins.SingleAsync(a => a.Id == current.AdminId, cancellationToken);
            if (admin.TwoFactorEnabled)
            {
                throw Refuse.Because(TwoFactorText.AlreadyOn);
            }

            admin.AuthenticatorKey = authenticator.Protect(Authenticator.NewKey());
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }
}

public static class EnableAdminAuthenticator
{
    public sealed class Command : ICommand<IReadOnlyList<string>>
    {
        public string? Code { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Code).NotEmpty().WithMessage("Enter the six-digit code from your authenticator app.").MaximumLength(20).WithMessage(Authenticator.WrongCode);
        }
    }

    internal sealed class Handler(PortalDbContext db, Authenticator authenticator, AdminContext current, ActivityWriter activity, SecurityNotices notices)
        : ICommandHandler<Command, IReadOnlyList<string>>
    {
        public async ValueTask<IReadOnlyList<string>> Handle(Command command, CancellationToken cancellationToken)
        {
            var admin = await db.Admins.SingleAsync(a => a.Id == current.AdminId, cancellationToken);
            if (admin.TwoFactorEnabled)
            {
                throw Refuse.Because(TwoFactorText.AlreadyOn);
            }

            var key = authenticator.Unprotect(admin.AuthenticatorKey) ?? throw Refuse.Because(TwoFactorText.StartAgain);
            if (authenticator.Verify(key, command.Code, admin.AuthenticatorLastStep) is not { } step)
            {
                throw Refuse.Because(nameof(Command.Code), TwoFactorText.WrongEnrolmentCode);
            }

            admin.AuthenticatorLastStep = step;
            admin.TwoFactorEnabled = true;
            var codes = await AdminRecoveryCodes.ReplaceAsync(db, admin.Id, cancellationToken);
            activity.ForAdmin(admin.Id, null, $"Two-factor authentication turned on by admin {admin.Email}");
            notices.TwoFactorChanged(admin, "Two-factor authentication with an authenticator app was turned on");
            await db.SaveChangesAsync(cancellationToken);
            return codes;
        }
    }
}

public static class RegenerateAdminRecoveryCodes
{
    public sealed class Command : ICommand<IReadOnlyList<string>>
    {
        public string? Password { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Password).NotEmpty().WithMessage("Enter your password.").MaximumLength(FieldLengths.PasswordMax).WithMessage(TwoFactorText.WrongPassword);
        }
    }

    internal sealed class Handler(PortalDbContext db, IPasswordHasher<Administrator> hasher, AdminContext current, ActivityWriter activity)
        : ICommandHandler<Command, IReadOnlyList<string>>
    {
        public async ValueTask<IReadOnlyList<string>> Handle(Command command, CancellationToken cancellationToken)
        {
            var admin = await db.Admins.SingleAsync(a => a.Id == current.AdminId, cancellationToken);
            if (!admin.TwoFactorEnabled)
            {
                throw Refuse.Because(TwoFactorText.NotOn);
            }

            if (hasher.VerifyHashedPassword(admin, admin.PasswordHash, command.Password!) == PasswordVerificationResult.Failed)
            {
                throw Refuse.Because(nameof(Command.Password), TwoFactorText.WrongPassword);
            }

            var codes = await AdminRecoveryCodes.ReplaceAsync(db, admin.Id, cancellationToken);
            activity.ForAdmin(admin.Id, null, $"Recovery codes regenerated by admin {admin.Email}");
            await db.SaveChangesAsync(cancellationToken);
            return codes;
        }
    }
}

public static class DisableAdminAuthenticator
{
    public sealed class Command : ICommand
    {
        public string? Password { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Password).NotEmpty().WithMessage("Enter your password.").MaximumLength(FieldLengths.PasswordMax).WithMessage(TwoFactorText.WrongPassword);
        }
    }

    internal sealed class Handler(PortalDbContext db, IPasswordHasher<Administrator> hasher, AdminContext current, ActivityWriter activity, SecurityNotices notices)
        : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var admin = await db.Admins.SingleAsync(a => a.Id == current.AdminId, cancellationToken);
            if (!admin.TwoFactorEnabled)
            {
                throw Refuse.Because(TwoFactorText.NotOn);
            }

            if (hasher.VerifyHashedPassword(admin, admin.PasswordHash, command.Password!) == PasswordVerificationResult.Failed)
            {
                throw Refuse.Because(nameof(Command.Password), TwoFactorText.WrongPassword);
            }

            admin.TwoFactorEnabled = false;
            admin.AuthenticatorKey = null;
            admin.AuthenticatorLastStep = null;
            db.RecoveryCodes.RemoveRange(await db.RecoveryCodes.Where(c => c.AdminId == admin.Id).ToListAsync(cancellationToken));
            activity.ForAdmin(admin.Id, null, $"Two-factor authentication turned off by admin {admin.Email}");
            notices.TwoFactorChanged(admin, "Two-factor authentication was turned off");
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }
}
