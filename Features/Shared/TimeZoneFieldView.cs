namespace Portal.Features.Shared;

/// <summary>The time-zone field (<c>_TimeZoneField.cshtml</c>): its name in the form, its value, and whether to offer the browser's zone.</summary>
/// <param name="FromBrowser">Whether an empty field is filled with the browser's zone (registration).</param>
public sealed record TimeZoneFieldView(string Name, string? Value, string DefaultZone, bool FromBrowser)
{
    public string Id => Name.Replace('.', '_');
}
