using FluentValidation;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;

namespace Portal.Features.Support;

/// <summary>The fields of a contact, shared by Add and Edit: who they are and which e-mails they receive.</summary>
public class ContactForm
{
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? Role { get; init; }
    public bool Invoices { get; init; }
    public bool Support { get; init; }

    public ContactDetails ToDetails() => new(Name!, Email!, Phone, Role, Invoices, Support);
}

public static class ContactRules
{
    public const string EmailTaken = "This account already has a contact with this e-mail address.";
    public const string SupportNeedsTickets = "Only a user with the View & Open Support Tickets permission may have support ticket e-mails sent to a contact, or change the address of a contact who receives them.";

    public static void AddContactRules<T>(this AbstractValidator<T> validator)
        where T : ContactForm
    {
        validator.RuleFor(x => x.Name).RequiredText("Name", FieldLengths.Name * 2);
        validator.RuleFor(x => x.Email).EmailField();
        validator.RuleFor(x => x.Phone).OptionalText("Phone", FieldLengths.Phone);
        validator.RuleFor(x => x.Role).OptionalText("Role", FieldLengths.Name);
    }
}
