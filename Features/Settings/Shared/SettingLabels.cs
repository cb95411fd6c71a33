namespace Portal.Features.Settings;

/// <summary>How the automation settings are named and read, on the Settings page, in the log and on the retention page.</summary>
public static class SettingLabels
{
    public const string PruneInactiveLabel = "Automatically Delete Inactive Clients";
    public const string PruneDeletesUsersLabel = "Also delete associated users who have no other client account";

    /// <summary>How the retention period reads: "Never", "after 1 month", "after 12 months".</summary>
    public static string PeriodText(int? months) => months switch
    {
        null => "Never",
        1 => "after 1 month",
        _ => $"after {months} months",
    };
}
