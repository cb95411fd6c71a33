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

    [Fact]
    public void Company_details_may_be_empty_or_hold_a_name_an_address_of_several_lines_and_a_free_text_tax_id()
    {
        var result = new ChangeSettings.Validator().TestValidate(new ChangeSettings.Command
        {
            InvitationValidityDays = 7,
            SellerName = "Harbour Hosting Ltd",
            SellerAddress = "12 Quay Street\r\nPortsmouth PO1 1AA\r\nUnited Kingdom",
            SellerTaxId = "GB 123/4567-89 (VAT)",
        });

        result.ShouldNotHaveValidationErrorFor(x => x.SellerName);
        result.ShouldNotHaveValidationErrorFor(x => x.SellerAddress);
        result.ShouldNotHaveValidationErrorFor(x => x.SellerTaxId);
        var empty = new ChangeSettings.Validator().TestValidate(new ChangeSettings.Command { InvitationValidityDays = 7 });
        empty.ShouldNotHaveValidationErrorFor(x => x.SellerName);
        empty.ShouldNotHaveValidationErrorFor(x => x.SellerAddress);
        empty.ShouldNotHaveValidationErrorFor(x => x.SellerTaxId);
    }

    [Fact]
    public void Company_details_that_are_too_long_or_hold_control_or_text_direction_characters_are_refused()
    {
        var validator = new ChangeSettings.Validator();

        validator.TestValidate(new ChangeSettings.Command { InvitationValidityDays = 7, SellerName = new string('a', 101) })
            .ShouldHaveValidationErrorFor(x => x.SellerName).WithErrorMessage("Company Name on Invoices must be at most 100 characters.");
        validator.TestValidate(new ChangeSettings.Command { InvitationValidityDays = 7, SellerName = "Evil\u202ECo" })
            .ShouldHaveValidationErrorFor(x => x.SellerName);
        validator.TestValidate(new ChangeSettings.Command { InvitationValidityDays = 7, SellerTaxId = new string('1', 51) })
            .ShouldHaveValidationErrorFor(x => x.SellerTaxId).WithErrorMessage("Tax ID must be at most 50 characters.");
        validator.TestValidate(new ChangeSettings.Command { InvitationValidityDays = 7, SellerTaxId = "GB\r\n123" })
            .ShouldHaveValidationErrorFor(x => x.SellerTaxId).WithErrorMessage("Tax ID must not contain control characters.");
        validator.TestValidate(new ChangeSettings.Command { InvitationValidityDays = 7, SellerAddress = new string('a', 401) })
            .ShouldHaveValidationErrorFor(x => x.SellerAddress).WithErrorMessage("Company Address must be at most 400 characters.");
        validator.TestValidate(new ChangeSettings.Command { InvitationValidityDays = 7, SellerAddress = "1\n2\n3\n4\n5\n6\n7" })
            .ShouldHaveValidationErrorFor(x => x.SellerAddress).WithErrorMessage("Company Address may have at most 6 lines.");
        validator.TestValidate(new ChangeSettings.Command { InvitationValidityDays = 7, SellerAddress = "Quay\u0001Street" })
            .ShouldHaveValidationErrorFor(x => x.SellerAddress).WithErrorMessage("Company Address must not contain control characters.");
        validator.TestValidate(new ChangeSettings.Command { InvitationValidityDays = 7, SellerAddress = "Quay\u2028Street" })
            .ShouldHaveValidationErrorFor(x => x.SellerAddress).WithErrorMessage("Company Address must not contain text-direction or line-separator characters.");
    }

    [Fact]
    public void Modules_offered_are_chosen_from_the_list_of_optional_modules()
    {
        var validator = new ChangeSettings.Validator();

        validator.TestValidate(new ChangeSettings.Command { InvitationValidityDays = 7, ModulesOffered = ["domains", "quotes", "sso", "affiliates"] })
            .ShouldNotHaveValidationErrorFor(x => x.ModulesOffered);
        validator.TestValidate(new ChangeSettings.Command { InvitationValidityDays = 7, ModulesOffered = ["domains", "tickets"] })
            .ShouldHaveValidationErrorFor(x => x.ModulesOffered).WithErrorMessage("Choose the modules offered from the list.");
    }
}
