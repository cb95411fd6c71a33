using FluentValidation.TestHelper;
using Portal.Features.Membership;

namespace Portal.Tests.Features.Membership;

public sealed class MakeOwnerValidatorTests
{
    [Fact]
    public void The_change_of_owner_must_be_confirmed() =>
        new MakeOwner.Validator().TestValidate(new MakeOwner.Command { Confirm = false })
            .ShouldHaveValidationErrorFor(x => x.Confirm).WithErrorMessage("Tick the box to confirm the change of owner.");

    [Fact]
    public void A_confirmed_change_is_valid() =>
        new MakeOwner.Validator().TestValidate(new MakeOwner.Command { Confirm = true }).ShouldNotHaveAnyValidationErrors();
}
