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
}
