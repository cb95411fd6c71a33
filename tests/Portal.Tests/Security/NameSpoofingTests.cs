using Portal.Features.Shared;

namespace Portal.Tests.Security;

/// <summary>Names shown in pages and e-mail subjects cannot be made to read backwards or break across lines.</summary>
public sealed class NameSpoofingTests
{
    public static TheoryData<string> Spoofs => new()
    {
        "Bob\u202Egnp.exe", "\u202Aembedded\u202C", "\u202Bright\u202C", "\u202Doverride", "\u2066isolate\u2069", "\u2067rtl isolate\u2069",
        "\u2068first strong\u2069", "line\u2028separator", "para\u2029separator",
    };

    [Theory]
    [MemberData(nameof(Spoofs))]
    public void Every_name_and_profile_field_refuses_bidi_controls_and_line_separators(string spoof)
    {
        // The profile rules registration, Add Client and the admin's profile editor share.
        var validator = new FluentValidation.InlineValidator<ProfileForm>();
        validator.AddProfileRules();
        var command = new ProfileForm
        {
            FirstName = spoof, LastName = spoof, CompanyName = spoof, Email = "a@example.test", Address1 = spoof, City = spoof, State = spoof,
            Postcode = spoof, Country = spoof, Phone = "+1 555 0100",
        };

        var failed = validator.Validate(command).Errors.Select(e => e.PropertyName).Distinct().ToList();

        Assert.Equal(["Address1", "City", "CompanyName", "Country", "FirstName", "LastName", "Postcode", "State"], failed.Order().ToList());
    }

    [Theory]
    [MemberData(nameof(Spoofs))]
    public void An_email_address_with_bidi_controls_or_separators_is_not_an_address(string spoof) =>
        Assert.False(InputRules.IsEmail($"a{spoof.Replace(" ", "")}@example.test"));
}
