using FluentValidation.TestHelper;
using PruneInactiveSlice = Portal.Features.Retention.PruneInactive;

namespace Portal.UnitTests.Features.PruneInactive;

public sealed class RunNowValidatorTests
{
    [Fact]
    public void Run_now_must_be_confirmed() =>
        new PruneInactiveSlice.RunNowValidator().TestValidate(new PruneInactiveSlice.RunNow { Confirm = false })
            .ShouldHaveValidationErrorFor(x => x.Confirm).WithErrorMessage("Tick the box to confirm that these clients and users are deleted for good.");

    [Fact]
    public void A_confirmed_run_is_valid() =>
        new PruneInactiveSlice.RunNowValidator().TestValidate(new PruneInactiveSlice.RunNow { Confirm = true }).ShouldNotHaveAnyValidationErrors();
}
