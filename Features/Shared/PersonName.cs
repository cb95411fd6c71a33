namespace Portal.Features.Shared;

/// <summary>How a person's name is shown: first and last name, either of which may be empty.</summary>
public static class PersonName
{
    public static string Of(string? firstName, string? lastName) => $"{firstName} {lastName}".Trim();
}
