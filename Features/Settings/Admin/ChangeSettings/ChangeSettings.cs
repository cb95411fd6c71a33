using FluentValidation;
using Mediator;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Dates;
using Portal.Features.Shared;

namespace Portal.Features.Settings;

/// <summary>The admin's General settings. Every changed value is logged with its old and new value.</summary>
public static class ChangeSettings
{
    public const string UserManagementDisabledLabel = "Disable Client Area User Management";
    public const string EmailVerificationLabel = "Email Verification";
    public const string InvitationValidityLabel = "Invitation Validity (days)";
    public const string OnlyInvitedEmailLabel = "Only the Invited Email Address May Accept Invitations";
    public const string IdentityVerificationLabel = "Require Identity Verification for New Orders";
    public const string BankTransferLabel = "Bank Transfer Instructions";
    public const string DefaultTimeZoneLabel = "Default Time Zone";
    public const string AdminTwoFactorLabel = "Require Two-Factor Authentication for Admins";
    public const string StepUpLabel = "Ask Again for Sensitive Actions After (minutes)";
    public const string CloseWithoutApprovalLabel = "Close Accounts at the Owner's Request Without Approval";
    public const string PaymentReminderLabel = "Send a Payment Reminder (days before the due date)";
    public const string OverdueNoticeLabel = "Send an Overdue Notice (days after the due date)";
    public const int BankTransferMaxLength = 400;
    public const string SellerNameLabel = "Company Name on Invoices";
    public const string SellerAddressLabel = "Company Address";
    public const string SellerTaxIdLabel = "Tax ID";
    public const string ModulesOfferedLabel = "Modules Offered";
    public const int SellerNameMaxLength = 100;
    public const int SellerAddressMaxLength = 400;
    public const int SellerAddressMaxLines = 6;
    public const int SellerTaxIdMaxLength = 50;
    public sealed class Command : ICommand
    {
        public bool UserManagementDisabled { get; init; }
        public bool EmailVerificationEnabled { get; init; }
        public int InvitationValidityDays { get; init; }
        public bool OnlyInvitedEmailMayAccept { get; init; }
        public bool IdentityVerificationRequired { get; init; }
        public string? BankTransferInstructions { get; init; }
        public string? DefaultTimeZone { get; init; }

        /// <summary>Null: never.</summary>
        public int? PruneInactiveAfterMonths { get; init; }

        public bool PruneDeletesUsers { get; init; }

        public bool AdminTwoFactorRequired { get; init; }

        public int StepUpMinutes { get; init; } = SystemSettings.StepUpMinutesDefault;

        public bool CloseWithoutApproval { get; init; }

        /// <summary>Null: no reminder.</summary>
        public int? PaymentReminderDaysBefore { get; init; }

        /// <summary>Null: no overdue notice.</summary>
        public int? OverdueNoticeDaysAfter { get; init; }

        /// <summary>Empty: the portal's company name.</summary>
        public string? SellerName { get; init; }

        /// <summary>One line per address line.</summary>
        public string? SellerAddress { get; init; }

        public string? SellerTaxId { get; init; }

        /// <summary>The keys of the optional modules offered (<see cref="OptionalModules"/>).</summary>
        public List<string> ModulesOffered { get; init; } = [];

        public static Command From(SettingsSnapshot s) => new()
        {
            UserManagementDisabled = s.UserManagementDisabled,
            EmailVerificationEnabled = s.EmailVerificationEnabled,
            InvitationValidityDays = s.InvitationValidityDays,
            OnlyInvitedEmailMayAccept = s.OnlyInvitedEmailMayAccept,
            IdentityVerificationRequired = s.IdentityVerificationRequired,
            BankTransferInstructions = s.BankTransferInstructions,
            PruneInactiveAfterMonths = s.PruneInactiveAfterMonths,
            PruneDeletesUsers = s.PruneDeletesUsers,
            DefaultTimeZone = s.DefaultTimeZone,
            AdminTwoFactorRequired = s.AdminTwoFactorRequired,
            StepUpMinutes = s.StepUpMinutes,
            CloseWithoutApproval = s.CloseWithoutApproval,
            PaymentReminderDaysBefore = s.PaymentReminderDaysBefore,
            OverdueNoticeDaysAfter = s.OverdueNoticeDaysAfter,
            SellerName = s.SellerName,
            SellerAddress = s.SellerAddress,
            SellerTaxId = s.SellerTaxId,
            ModulesOffered = OptionalModules.Parse(s.ModulesOffered).Select(m => OptionalModules.All.Single(i => i.Module == m).Key).ToList(),
        };
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.InvitationValidityDays).InclusiveBetween(1, 90).WithMessage("Invitation validity must be between 1 and 90 days.");
            RuleFor(x => x.BankTransferInstructions).MaximumLength(BankTransferMaxLength).WithMessage($"{BankTransferLabel} must be at most {BankTransferMaxLength} characters.")
                .Must(v => v is null || !v.Any(c => char.IsControl(c) && c is not '\n' and not '\r')).WithMessage($"{BankTransferLabel} must not contain control characters.");
            RuleFor(x => x.PruneInactiveAfterMonths).InclusiveBetween(1, SystemSettings.PruneMonthsMax)
                .WithMessage($"Choose Never or between 1 and {SystemSettings.PruneMonthsMax} months.");
            RuleFor(x => x.DefaultTimeZone).Must(TimeZones.IsKnown).WithMessage("Choose a time zone from the list.");
            RuleFor(x => x.StepUpMinutes).InclusiveBetween(1, SystemSettings.StepUpMinutesMax)
                .WithMessage($"Choose between 1 and {SystemSettings.StepUpMinutesMax} minutes.");
            RuleFor(x => x.PaymentReminderDaysBefore).InclusiveBetween(1, SystemSettings.PaymentReminderDaysMax)
                .WithMessage($"Send the payment reminder between 1 and {SystemSettings.PaymentReminderDaysMax} days before the due date, or leave it empty to send none.");
            RuleFor(x => x.OverdueNoticeDaysAfter).InclusiveBetween(1, SystemSettings.OverdueNoticeDaysMax)
                .WithMessage($"Send the overdue notice between 1 and {SystemSettings.OverdueNoticeDaysMax} days after the due date, or leave it empty to send none.");
            RuleFor(x => x.SellerName).OptionalText(SellerNameLabel, SellerNameMaxLength);
            RuleFor(x => x.SellerAddress)
                .MaximumLength(SellerAddressMaxLength).WithMessage($"{SellerAddressLabel} must be at most {SellerAddressMaxLength} characters.")
                .Must(v => v is null || !v.Any(c => char.IsControl(c) && c is not ('\r' or '\n'))).WithMessage($"{SellerAddressLabel} must not contain control characters.")
                .Must(v => v is null || !v.Any(c => !char.IsControl(c) && PlainText.IsUnsafe(c))).WithMessage($"{SellerAddressLabel} must not contain text-direction or line-separator characters.")
                .Must(v => CompanyDetails.AddressLines(v).Count <= SellerAddressMaxLines).WithMessage($"{SellerAddressLabel} may have at most {SellerAddressMaxLines} lines.");
            RuleFor(x => x.SellerTaxId).OptionalText(SellerTaxIdLabel, SellerTaxIdMaxLength);
            RuleFor(x => x.ModulesOffered)
                .Must(m => m is null || (m.Count <= OptionalModules.All.Count * 2 && m.All(OptionalModules.IsKnownKey)))
                .WithMessage("Choose the modules offered from the list.");
        }
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
            await ChangeAsync(SystemSettings.IdentityVerificationKey, IdentityVerificationLabel, current.IdentityVerificationRequired, command.IdentityVerificationRequired, cancellationToken);
            var instructions = command.BankTransferInstructions?.Trim().ReplaceLineEndings("\n") ?? "";
            await ChangeAsync(SystemSettings.BankTransferInstructionsKey, BankTransferLabel, $"\"{current.BankTransferInstructions}\"", $"\"{instructions}\"", instructions, cancellationToken);
            await ChangeAsync(
                SystemSettings.PruneInactiveAfterMonthsKey, SettingLabels.PruneInactiveLabel, SettingLabels.PeriodText(current.PruneInactiveAfterMonths), SettingLabels.PeriodText(command.PruneInactiveAfterMonths),
                command.PruneInactiveAfterMonths?.ToString() ?? "", cancellationToken);
            await ChangeAsync(SystemSettings.PruneDeletesUsersKey, SettingLabels.PruneDeletesUsersLabel, current.PruneDeletesUsers, command.PruneDeletesUsers, cancellationToken);
            await ChangeAsync(SystemSettings.DefaultTimeZoneKey, DefaultTimeZoneLabel, current.DefaultTimeZone, command.DefaultTimeZone!, command.DefaultTimeZone!, cancellationToken);
            await ChangeAsync(SystemSettings.AdminTwoFactorKey, AdminTwoFactorLabel, current.AdminTwoFactorRequired, command.AdminTwoFactorRequired, cancellationToken);
            await ChangeAsync(SystemSettings.StepUpMinutesKey, StepUpLabel, current.StepUpMinutes, command.StepUpMinutes, cancellationToken);
            await ChangeAsync(SystemSettings.CloseWithoutApprovalKey, CloseWithoutApprovalLabel, current.CloseWithoutApproval, command.CloseWithoutApproval, cancellationToken);
            await ChangeAsync(
                SystemSettings.PaymentReminderDaysKey, PaymentReminderLabel, DaysText(current.PaymentReminderDaysBefore), DaysText(command.PaymentReminderDaysBefore),
                command.PaymentReminderDaysBefore?.ToString() ?? "", cancellationToken);
            await ChangeAsync(
                SystemSettings.OverdueNoticeDaysKey, OverdueNoticeLabel, DaysText(current.OverdueNoticeDaysAfter), DaysText(command.OverdueNoticeDaysAfter),
                command.OverdueNoticeDaysAfter?.ToString() ?? "", cancellationToken);
            var sellerName = command.SellerName?.Trim() ?? "";
            await ChangeAsync(SystemSettings.SellerNameKey, SellerNameLabel, $"\"{current.SellerName}\"", $"\"{sellerName}\"", sellerName, cancellationToken);
            // Stored one line per line; the log reads the lines side by side.
            var addressLines = CompanyDetails.AddressLines(command.SellerAddress);
            await ChangeAsync(
                SystemSettings.SellerAddressKey, SellerAddressLabel, $"\"{string.Join(", ", CompanyDetails.AddressLines(current.SellerAddress))}\"", $"\"{string.Join(", ", addressLines)}\"",
                string.Join('\n', addressLines), cancellationToken);
            var taxId = command.SellerTaxId?.Trim() ?? "";
            await ChangeAsync(SystemSettings.SellerTaxIdKey, SellerTaxIdLabel, $"\"{current.SellerTaxId}\"", $"\"{taxId}\"", taxId, cancellationToken);
            var modules = OptionalModules.FromKeys(command.ModulesOffered);
            await ChangeAsync(
                SystemSettings.ModulesOfferedKey, ModulesOfferedLabel, OptionalModules.Describe(current.Modules), OptionalModules.Describe(modules),
                OptionalModules.Store(modules), cancellationToken);
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

        private static string DaysText(int? days) => days is { } d ? d.ToString() : "Off";

        private static string OnOff(bool value) => value ? "On" : "Off";
    }
}
