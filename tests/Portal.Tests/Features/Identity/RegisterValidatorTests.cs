using FluentValidation.TestHelper;
using Portal.Infrastructure.Auth;
using Portal.Features.Identity;

namespace Portal.Tests.Features.Identity;

public sealed class RegisterValidatorTests
{
    private static Register.Command Form(string? password = "violet harbour engine sketch") => new()
    {
        FirstName = "Robin",
        LastName = "Register",
        Email = "robin@example.test",
        Address1 = "1 Road",
        City = "Town",
        Postcode = "12345",
        Country = "Country",
        Phone = "+1 555 0100",
        Password = password,
        ConfirmPassword = password,
    };

    [Fact]
    public async Task A_complete_form_is_valid() =>
        (await new Register.Validator(new AccountContext()).TestValidateAsync(Form())).ShouldNotHaveAnyValidationErrors();

    [Fact]
    public async Task A_visitor_chooses_a_password() =>
        (await new Register.Validator(new AccountContext()).TestValidateAsync(Form(password: null)))
            .ShouldHaveValidationErrorFor(x => x.Password).WithErrorMessage("Password is required.");

    [Fact]
    public async Task A_signed_in_user_opening_another_account_needs_no_password()
    {
        var account = new AccountContext();
        account.SignIn(7, "Robin", "robin@example.test", true, "session", null, null);

        (await new Register.Validator(account).TestValidateAsync(Form(password: null))).ShouldNotHaveAnyValidationErrors();
    }

    [Theory]
    [InlineData("Phone", "call me", "Phone number may contain only digits, spaces and + ( ) - .")]
    [InlineData("Email", "not-an-email", "Enter a valid email address, like name@example.com.")]
    [InlineData("City", "   ", "City is required.")]
    public async Task Profile_fields_are_checked(string field, string value, string message)
    {
        var form = Form();
        typeof(Register.Command).GetProperty(field)!.SetValue(form, value);

        (await new Register.Validator(new AccountContext()).TestValidateAsync(form)).ShouldHaveValidationErrorFor(field).WithErrorMessage(message);
    }
}
