using FluentValidation.TestHelper;
using Portal.Features.Settings;

namespace Portal.Tests.Features.Settings;

public sealed class ChangeSettingsValidatorTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    [InlineData(120)]
    public void Never_or_1_to_120_months_is_a_valid_retention_period(int? months) =>
        new ChangeSettings.Validator().TestValidate(new ChangeSettings.Command { InvitationValidityDays = 7, PruneInactiveAfterMonths = months })
            .ShouldNotHaveValidationErrorFor(x => x.PruneInactiveAfterMonths);

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(121)]
    public void Any_other_period_is_refused(int months) =>
        new ChangeSettings.Validator().TestValidate(new ChangeSettings.Command { InvitationValidityDays = 7, PruneInactiveAfterMonths = months })
            .ShouldHaveValidationErrorFor(x => x.PruneInactiveAfterMonths).WithErrorMessage("Choose Never or between 1 and 120 months.");

    [Theory]
    [InlineData(null, null)]
    [InlineData(1, 1)]
    [InlineData(13, 90)]
    public void Reminder_and_overdue_days_may_be_off_or_within_their_range(int? before, int? after)
    {
        var result = new ChangeSettings.Validator().TestValidate(new ChangeSettings.Command { InvitationValidityDays = 7, PaymentReminderDaysBefore = before, OverdueNoticeDaysAfter = after });

        result.ShouldNotHaveValidationErrorFor(x => x.PaymentReminderDaysBefore);
        result.ShouldNotHaveValidationErrorFor(x => x.OverdueNoticeDaysAfter);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(14)]
    public void A_reminder_outside_1_to_13_days_before_the_due_date_is_refused(int days) =>
        new ChangeSettings.Validator().TestValidate(new ChangeSettings.Command { InvitationValidityDays = 7, PaymentReminderDaysBefore = days })
            .ShouldHaveValidationErrorFor(x => x.PaymentReminderDaysBefore)
            .WithErrorMessage("Send the payment reminder between 1 and 13 days before the due date, or leave it empty to send none.");

    [Theory]
    [InlineData(0)]
    [InlineData(91)]
    public void An_overdue_notice_outside_1_to_90_days_after_the_due_date_is_refused(int days) =>
        new ChangeSettings.Validator().TestValidate(new ChangeSettings.Command { InvitationValidityDays = 7, OverdueNoticeDaysAfter = days })
            .ShouldHaveValidationErrorFor(x => x.OverdueNoticeDaysAfter)
            .WithErrorMessage("Send the overdue notice between 1 and 90 days after the due date, or leave it empty to send none.");
}
