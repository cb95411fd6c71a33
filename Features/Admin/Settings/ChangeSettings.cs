using FluentValidation;
using Mediator;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;

namespace Portal.Features.Admin.Settings;

/// <summary>The admin's General settings. Every changed value is logged with its old and new value.</summary>
public static class ChangeSettings
{
    public const string UserManagementDisabledLabel = "Disable Client Area User Management";
    public const string EmailVerificationLabel = "Email Verification";
    public const string InvitationValidityLabel = "Invitation Validity (days)";
    public const string OnlyInvitedEmailLabel = "Only the Invited Email Address May Accept Invitations";

    public sealed class Command : ICommand
    {
        public bool UserManagementDisabled { get; init; }
        public bool EmailVerificationEnabled { get; init; }
        public int InvitationValidityDays { get; init; }
        public bool OnlyInvitedEmailMayAccept { get; init; }

        public static Command From(SettingsSnapshot s) => new()
        {
            UserManagementDisabled = s.UserManagementDisabled,
            EmailVerificationEnabled = s.EmailVerificationEnabled,
            InvitationValidityDays = s.InvitationValidityDays,
            OnlyInvitedEmailMayAccept = s.OnlyInvitedEmailMayAccept,
        };
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() =>
            RuleFor(x => x.InvitationValidityDays).InclusiveBetween(1, 90).WithMessage("Invitation validity must be between 1 and 90 days.");
    }

    internal sealed class Handler(PortalDbContext db, SystemSettings settings, ActivityWriter activity) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var current = await settings.GetAsync(cancellationToken);
            await ChangeAsync(SystemSettings.UserManagementDisabledKey, UserManagementDisabledLabel, current.UserManagementDisabled, command.UserManagementDisabled, cancellationToken);
            await ChangeAsync(SystemSettings.EmailVerificationKey, EmailVerificationLabel, current.EmailVerificationEnabled, command.EmailVerificationEnabled, cancellationToken);
            await ChangeAsync(SystemSettings.InvitationValidityKey, InvitationValidityLabel, current.InvitationValidityDays, command.InvitationValidityDays, cancellationToken);
            await ChangeAsync(SystemSettings.OnlyInvitedEmailKey, OnlyInvitedEmailLabel, current.OnlyInvitedEmailMayAccept, command.OnlyInvitedEmailMayAccept, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }

        private Task ChangeAsync(string key, string label, bool before, bool after, CancellationToken cancellationToken) =>
            ChangeAsync(key, label, OnOff(before), OnOff(after), after ? "true" : "false", cancellationToken);

        private Task ChangeAsync(string key, string label, int before, int after, CancellationToken cancellationToken) =>
            ChangeAsync(key, label, before.ToString(), after.ToString(), after.ToString(), cancellationToken);

        private async Task ChangeAsync(string key, string label, string before, string after, string stored, CancellationToken cancellationToken)
        {
            if (before == after)
            {
                return;
            }

            await settings.SetAsync(key, stored, cancellationToken);
            activity.Record($"Setting {label} changed from {before} to {after}");
        }

        private static string OnOff(bool value) => value ? "On" : "Off";
    }
}
