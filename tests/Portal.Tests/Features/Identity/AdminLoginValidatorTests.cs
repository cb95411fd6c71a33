using FluentValidation.TestHelper;
using Portal.Features.Shared;
using Portal.Features.Identity;

namespace Portal.Tests.Features.Identity;

public sealed class AdminLoginValidatorTests
{
    [Fact]
    public void Both_fields_are_required() =>
        new AdminLogin.Validator().TestValidate(new AdminLogin.Command())
            .ShouldHaveValidationErrorFor(x => x.Email).WithErrorMessage("Email address is required.");

    [Fact]
    public void An_overlong_password_gets_the_same_answer_as_a_wrong_one() =>
        new AdminLogin.Validator().TestValidate(new AdminLogin.Command { Email = "ada@example.test", Password = new string('x', FieldLengths.PasswordMax + 1) })
            .ShouldHaveValidationErrorFor(x => x.Password).WithErrorMessage(AdminLogin.Failure);
}
