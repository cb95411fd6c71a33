using FluentValidation.TestHelper;
using Portal.Infrastructure.Data;
using Command = Portal.Features.Identity.AdminLogin.Command;
using Validator = Portal.Features.Identity.AdminLogin.Validator;
using Portal.Features.Shared;

namespace Portal.UnitTests.Features.Admin.Login;

public sealed class AdminLoginValidatorTests
{
    [Fact]
    public void Both_fields_are_required() =>
        new Validator().TestValidate(new Command())
            .ShouldHaveValidationErrorFor(x => x.Email).WithErrorMessage("Email address is required.");

    [Fact]
    public void An_overlong_password_gets_the_same_answer_as_a_wrong_one() =>
        new Validator().TestValidate(new Command { Email = "ada@example.test", Password = new string('x', FieldLengths.PasswordMax + 1) })
            .ShouldHaveValidationErrorFor(x => x.Password).WithErrorMessage(Portal.Features.Identity.AdminLogin.Failure);
}
