using FluentValidation.TestHelper;
using Command = Portal.Features.Membership.MakeOwner.Command;
using Validator = Portal.Features.Membership.MakeOwner.Validator;

namespace Portal.UnitTests.Features.Admin.MakeOwner;

public sealed class MakeOwnerValidatorTests
{
    [Fact]
    public void The_change_of_owner_must_be_confirmed() =>
        new Validator().TestValidate(new Command { Confirm = false })
            .ShouldHaveValidationErrorFor(x => x.Confirm).WithErrorMessage("Tick the box to confirm the change of owner.");

    [Fact]
    public void A_confirmed_change_is_valid() =>
        new Validator().TestValidate(new Command { Confirm = true }).ShouldNotHaveAnyValidationErrors();
}
