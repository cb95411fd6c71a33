namespace Portal.Features.Settings;

/// <summary>
/// Modules of the source system that Portal does not have yet. Their permissions stay in the model, so data migrates
/// unchanged, but the permission forms show them only when the admin offers the module ("Modules offered").
/// </summary>
public enum OptionalModule
{
    SingleSignOn,
    Domains,
    Quotes,
    Affiliates,
}

public static class OptionalModules
{
    public sealed record Info(OptionalModule Module, string Key, string Label);

    public static readonly IReadOnlyList<Info> All =
    [
        new(OptionalModule.SingleSignOn, "sso", "Single Sign-On into services"),
        new(OptionalModule.Domains, "domains", "Domains"),
        new(OptionalModule.Quotes, "quotes", "Quotes"),
        new(OptionalModule.Affiliates, "affiliates", "Affiliates"),
    ];

    public static bool IsKnownKey(string? key) => All.Any(m => m.Key == key);

    /// <summary>The modules named by a stored or posted list of keys; unknown keys are dropped.</summary>
    public static IReadOnlySet<OptionalModule> FromKeys(IEnumerable<string?>? keys) =>
        All.Where(m => (keys ?? []).Contains(m.Key)).Select(m => m.Module).ToHashSet();

    public static IReadOnlySet<OptionalModule> Parse(string? stored) =>
        FromKeys((stored ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The stored form: the known keys in a fixed order, comma-separated.</summary>
    public static string Store(IReadOnlySet<OptionalModule> modules) =>
        string.Join(',', All.Where(m => modules.Contains(m.Module)).Select(m => m.Key));

    /// <summary>How the activity log reads a choice: "none" or "Domains, Quotes".</summary>
    public static string Describe(IReadOnlySet<OptionalModule> modules) =>
        modules.Count == 0 ? "none" : string.Join(", ", All.Where(m => modules.Contains(m.Module)).Select(m => m.Label));
}
