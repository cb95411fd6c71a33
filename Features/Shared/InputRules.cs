using FluentValidation;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Features.Clients;

namespace Portal.Features.Shared;

/// <summary>
/// The field rules every form shares: required names, sane lengths, real e-mail addresses, no control characters and no
/// bidi overrides or line separators (<see cref="PlainText"/>) in any single-line field.
/// </summary>
public static class InputRules
{
    public static IRuleBuilderOptions<T, string?> RequiredText<T>(this IRuleBuilder<T, string?> rule, string label, int maxLength) =>
        rule.NotEmpty().WithMessage($"{label} is required.")
            .Must(v => v is null || !string.IsNullOrWhiteSpace(v)).WithMessage($"{label} is required.")
            .OptionalText(label, maxLength);

    public static IRuleBuilderOptions<T, string?> OptionalText<T>(this IRuleBuilder<T, string?> rule, string label, int maxLength) =>
        rule.MaximumLength(maxLength).WithMessage($"{label} must be at most {maxLength} characters.")
            .Must(v => v is null || !v.Any(char.IsControl)).WithMessage($"{label} must not contain control characters.")
            .Must(v => !PlainText.HasUnsafe(v)).WithMessage($"{label} must not contain text-direction or line-separator characters.");

    /// <summary>A message of several lines (a ticket reply): line breaks and tabs are allowed, other control characters not.</summary>
    public static IRuleBuilderOptions<T, string?> RequiredMessage<T>(this IRuleBuilder<T, string?> rule, string label, int maxLength) =>
        rule.Must(v => !string.IsNullOrWhiteSpace(v)).WithMessage($"{label} is required.")
            .MaximumLength(maxLength).WithMessage($"{label} must be at most {maxLength} characters.")
            .Must(v => v is null || !v.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t'))).WithMessage($"{label} must not contain control characters.")
            .Must(v => v is null || !v.Any(c => !char.IsControl(c) && PlainText.IsUnsafe(c))).WithMessage($"{label} must not contain text-direction or line-separator characters.");

    /// <summary>An e-mail typed to sign in: not checked for form (an old address may predate the rules), but never with characters that forge a log line.</summary>
    public static IRuleBuilderOptions<T, string?> LoginEmail<T>(this IRuleBuilder<T, string?> rule, string failure) =>
        rule.NotEmpty().WithMessage("Email address is required.")
            .MaximumLength(FieldLengths.Email).WithMessage(failure)
            .Must(v => !PlainText.HasUnsafe(v)).WithMessage(failure);

    public static IRuleBuilderOptions<T, string?> EmailField<T>(this IRuleBuilder<T, string?> rule, string label = "Email address") =>
        rule.NotEmpty().WithMessage($"{label} is required.")
            .MaximumLength(FieldLengths.Email).WithMessage($"{label} must be at most {FieldLengths.Email} characters.")
            .Must(IsEmail).WithMessage("Enter a valid email address, like name@example.com.");

    /// <summary>The password policy; its strength estimate is CPU-heavy, so it waits its turn as <see cref="PasswordWork"/> (validate asynchronously).</summary>
    public static IRuleBuilderOptionsConditions<T, string?> NewPassword<T>(this IRuleBuilder<T, string?> rule, Func<T, string?[]> userInputs) =>
        rule.CustomAsync(async (password, context, cancellationToken) =>
        {
            var inputs = userInputs(context.InstanceToValidate);
            var problem = string.IsNullOrEmpty(password)
                ? "Password is required."
                : await PasswordWork.RunAsync(() => PasswordPolicy.Problem(password, inputs), cancellationToken);
            if (problem is not null)
            {
                context.AddFailure(problem);
            }
        });

    public static bool IsEmail(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > FieldLengths.Email || value.Any(c => PlainText.IsUnsafe(c) || char.IsWhiteSpace(c)))
        {
            return false;
        }

        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1 || value.IndexOf('@') != at)
        {
            return false;
        }

        var domain = value[(at + 1)..];
        return domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.') && !domain.Contains("..")
            && System.Net.Mail.MailAddress.TryCreate(value, out var parsed) && parsed.Address == value;
    }
}

/// <summary>The client profile form shared by registration, Add Client and the admin's profile editor.</summary>
public class ProfileForm
{
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? CompanyName { get; init; }
    public string? Email { get; init; }
    public string? Address1 { get; init; }
    public string? City { get; init; }
    public string? State { get; init; }
    public string? Postcode { get; init; }
    public string? Country { get; init; }
    public string? Phone { get; init; }

    public ClientProfile ToProfile() => new(
        FirstName!.Trim(), LastName!.Trim(), CompanyName?.Trim(), Email!.Trim(), Address1?.Trim() ?? "", City?.Trim() ?? "",
        State?.Trim() ?? "", Postcode?.Trim() ?? "", Country?.Trim() ?? "", Phone?.Trim() ?? "");
}

public static class ProfileRules
{
    public static void AddProfileRules<T>(this AbstractValidator<T> validator)
        where T : ProfileForm
    {
        validator.RuleFor(x => x.FirstName).RequiredText("First name", FieldLengths.Name);
        validator.RuleFor(x => x.LastName).RequiredText("Last name", FieldLengths.Name);
        validator.RuleFor(x => x.CompanyName).OptionalText("Company name", FieldLengths.Company);
        validator.RuleFor(x => x.Email).EmailField();
        validator.RuleFor(x => x.Address1).RequiredText("Address", FieldLengths.Address);
        validator.RuleFor(x => x.City).RequiredText("City", FieldLengths.Name);
        validator.RuleFor(x => x.State).OptionalText("State or region", FieldLengths.Name);
        validator.RuleFor(x => x.Postcode).RequiredText("Postcode", FieldLengths.Postcode);
        validator.RuleFor(x => x.Country).RequiredText("Country", FieldLengths.Country);
        validator.RuleFor(x => x.Phone).RequiredText("Phone number", FieldLengths.Phone)
            .Matches(@"^[0-9+()\-. ]*$").WithMessage("Phone number may contain only digits, spaces and + ( ) - .");
    }
}
