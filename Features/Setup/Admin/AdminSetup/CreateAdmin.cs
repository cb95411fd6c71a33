using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Identity;

namespace Portal.Features.Setup;

/// <summary>Creates an admin login, from the command line (<c>create-admin</c>) or the one-time setup link.</summary>
public static class CreateAdmin
{
    public class Command : ICommand<int>, ITransactional
    {
        public string? Email { get; init; }
        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public string? Password { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(PortalDbContext db)
        {
            RuleFor(x => x.Email).EmailField()
                .MustAsync(async (email, ct) => !await db.Admins.AnyAsync(a => a.NormalizedEmail == EmailAddress.Normalize(email), ct))
                .WithMessage("An admin already exists with that email address.");
            RuleFor(x => x.FirstName).RequiredText("First name", FieldLengths.Name);
            RuleFor(x => x.LastName).OptionalText("Last name", FieldLengths.Name);
            RuleFor(x => x.Password).NewPassword(x => [x.Email, x.FirstName, x.LastName]);
        }
    }

    /// <summary>The one-time setup link's form: creates the first admin and kills the link, or answers 404 when the link is dead.</summary>
    public sealed class ViaSetupLink : Command
    {
        [Microsoft.AspNetCore.Mvc.ModelBinding.BindNever]
        public string? Token { get; set; }
    }

    public sealed class ViaSetupLinkValidator : AbstractValidator<ViaSetupLink>
    {
        public ViaSetupLinkValidator(PortalDbContext db) => Include(new Validator(db));
    }

    internal sealed class Handler(PortalDbContext db, IPasswordHasher<Administrator> hasher, ActivityWriter activity, TimeProvider time)
        : ICommandHandler<Command, int>, ICommandHandler<ViaSetupLink, int>
    {
        public async ValueTask<int> Handle(ViaSetupLink command, CancellationToken cancellationToken)
        {
            if (!await AdminSetupLink.IsValidAsync(db, command.Token, cancellationToken))
            {
                throw Refuse.NotFound("Admin setup link");
            }

            var id = await Handle((Command)command, cancellationToken);
            await db.Settings.Where(s => s.Key == AdminSetupLink.TokenHashKey).ExecuteDeleteAsync(cancellationToken);
            return id;
        }

        public async ValueTask<int> Handle(Command command, CancellationToken cancellationToken)
        {
            var admin = new Administrator
            {
                Email = command.Email!.Trim(),
                NormalizedEmail = EmailAddress.Normalize(command.Email),
                FirstName = command.FirstName!.Trim(),
                LastName = command.LastName?.Trim() ?? "",
                CreatedAt = time.GetUtcNow(),
            };
            admin.PasswordHash = hasher.HashPassword(admin, command.Password!);
            db.Admins.Add(admin);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                throw Refuse.Because(nameof(Command.Email), "An admin already exists with that email address.");
            }

            // The entry needs the new admin's id, so it takes a second save; the command's transaction keeps the two as one.
            activity.ForAdmin(admin.Id, null, $"Admin account created for {admin.Email}");
            await db.SaveChangesAsync(cancellationToken);
            return admin.Id;
        }
    }
}
