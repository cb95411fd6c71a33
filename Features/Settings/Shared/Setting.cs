namespace Portal.Features.Settings;

/// <summary>A stored system setting, changed by admins from the Settings page.</summary>
public sealed class Setting
{
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
}
