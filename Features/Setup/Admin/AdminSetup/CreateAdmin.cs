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
    public const string EmailTaken = "An admin already exists with that email address.";

    public class Command : ICommand<int>
    {
        public string? Email { get; init; }
        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public string? Password { get; init; }
    }

    /// <summary>The form's rules; whether the address is taken is the handler's check, made inside its write unit.</summary>
    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Email).EmailField();
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
        public ViaSetupLinkValidator() => Include(new Validator());
    }

    /// <summary>The password is hashed before the write unit opens; the unit checks the address (and the link) and writes.</summary>
    internal sealed class Handler(PortalDbContext db, WriteUnit writes, PasswordHashing passwords, ActivityWriter activity, TimeProvider time)
        : ICommandHandler<Command, int>, ICommandHandler<ViaSetupLink, int>
    {
        public async ValueTask<int> Handle(ViaSetupLink command, CancellationToken cancellationToken)
        {
            if (!await AdminSetupLink.IsValidAsync(db, command.Token, cancellationToken))
            {
                throw Refuse.NotFound("Admin setup link");
            }

            var passwordHash = await passwords.HashAdminAsync(command.Password!, cancellationToken);
            return await writes.RunAsync(WriteUnitNames.Of(typeof(ViaSetupLink)), async ct =>
            {
                // The link works once: of two setups at once, the one that deletes it goes on, the other finds it gone.
                if (!await AdminSetupLink.IsValidAsync(db, command.Token, ct)
                    || await db.Settings.Where(s => s.Key == AdminSetupLink.TokenHashKey).ExecuteDeleteAsync(ct) == 0)
                {
                    throw Refuse.NotFound("Admin setup link");
                }

                return await CreateAsync(command, passwordHash, ct);
            }, cancellationToken);
        }

        public async ValueTask<int> Handle(Command command, CancellationToken cancellationToken)
        {
            var passwordHash = await passwords.HashAdminAsync(command.Password!, cancellationToken);
            return await writes.RunAsync(WriteUnitNames.Of(typeof(Command)), ct => CreateAsync(command, passwordHash, ct), cancellationToken);
        }

        private async Task<int> CreateAsync(Command command, string passwordHash, CancellationToken cancellationToken)
        {
            var normalized = EmailAddress.Normalize(command.Email);
            if (await db.Admins.AnyAsync(a => a.NormalizedEmail == normalized, cancellationToken))
            {
                throw Refuse.Because(nameof(Command.Email), EmailTaken);
            }

            var admin = new Administrator
            {
                Email = command.Email!.Trim(),
                NormalizedEmail = normalized,
                FirstName = command.FirstName!.Trim(),
                LastName = command.LastName?.Trim() ?? "",
                CreatedAt = time.GetUtcNow(),
                PasswordHash = passwordHash,
            };
            db.Admins.Add(admin);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (Contention.IsUniqueViolation(e))
            {
                throw Refuse.Because(nameof(Command.Email), EmailTaken);
            }

            // The entry needs the new admin's id, so it takes a second save; the write unit keeps the two as one.
            activity.ForAdmin(admin.Id, null, $"Admin account created for {admin.Email}");
            await db.SaveChangesAsync(cancellationToken);
            return admin.Id;
        }
    }
}
