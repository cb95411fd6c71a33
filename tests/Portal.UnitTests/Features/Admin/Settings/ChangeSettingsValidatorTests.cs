using FluentValidation.TestHelper;
using Command = Portal.Features.Settings.ChangeSettings.Command;
using Validator = Portal.Features.Settings.ChangeSettings.Validator;

namespace Portal.UnitTests.Features.Admin.Settings;

public sealed class ChangeSettingsValidatorTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    [InlineData(120)]
    public void Never_or_1_to_120_months_is_a_valid_retention_period(int? months) =>
        new Validator().TestValidate(new Command { InvitationValidityDays = 7, PruneInactiveAfterMonths = months })
            .ShouldNotHaveValidationErrorFor(x => x.PruneInactiveAfterMonths);

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(121)]
    public void Any_other_period_is_refused(int months) =>
        new Validator().TestValidate(new Command { InvitationValidityDays = 7, PruneInactiveAfterMonths = months })
            .ShouldHaveValidationErrorFor(x => x.PruneInactiveAfterMonths).WithErrorMessage("Choose Never or between 1 and 120 months.");
}
