using FluentValidation.TestHelper;
using Portal.Features.Shared;
using Portal.Features.Membership;

namespace Portal.Tests.Features.Membership;

public sealed class ManagePermissionsValidatorTests
{
    [Fact]
    public void At_least_one_permission_is_chosen() =>
        new ManagePermissions.Validator().TestValidate(new ManagePermissions.Command { Permissions = [] })
            .ShouldHaveValidationErrorFor("Permissions").WithErrorMessage(PermissionsForm.NoneChosen);

    [Fact]
    public void Keys_that_are_not_permissions_count_as_nothing_chosen() =>
        new ManagePermissions.Validator().TestValidate(new ManagePermissions.Command { Permissions = ["admin", "superuser"] })
            .ShouldHaveValidationErrorFor("Permissions").WithErrorMessage(PermissionsForm.NoneChosen);

    [Fact]
    public void A_flood_of_keys_is_refused() =>
        new ManagePermissions.Validator().TestValidate(new ManagePermissions.Command { Permissions = Enumerable.Repeat("tickets", 27).ToList() })
            .ShouldHaveValidationErrorFor(x => x.Permissions).WithErrorMessage("Too many permissions were sent.");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void All_permissions_or_a_known_key_is_valid(bool all) =>
        new ManagePermissions.Validator().TestValidate(new ManagePermissions.Command { AllPermissions = all, Permissions = all ? [] : ["tickets"] }).ShouldNotHaveAnyValidationErrors();
}
