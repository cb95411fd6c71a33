using FluentValidation.TestHelper;
using Portal.Features.Retention;

namespace Portal.Tests.Features.Retention;

public sealed class RunNowValidatorTests
{
    [Fact]
    public void Run_now_must_be_confirmed() =>
        new PruneInactive.RunNowValidator().TestValidate(new PruneInactive.RunNow { Confirm = false })
            .ShouldHaveValidationErrorFor(x => x.Confirm).WithErrorMessage("Tick the box to confirm that these clients and users are deleted for good.");

    [Fact]
    public void A_confirmed_run_is_valid() =>
        new PruneInactive.RunNowValidator().TestValidate(new PruneInactive.RunNow { Confirm = true }).ShouldNotHaveAnyValidationErrors();
}
