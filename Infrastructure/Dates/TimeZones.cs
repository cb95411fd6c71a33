namespace Portal.Infrastructure.Dates;

/// <summary>The time zones a user or the provider may choose, by IANA name.</summary>
public static class TimeZones
{
    public const string Default = "UTC";

    private static readonly Lazy<IReadOnlyList<string>> names = new(() =>
        TimeZoneInfo.GetSystemTimeZones()
            .Where(z => z.HasIanaId)
            .Select(z => z.Id)
            .Append(Default)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList());

    private static readonly Lazy<HashSet<string>> known = new(() => names.Value.ToHashSet(StringComparer.Ordinal));

    /// <summary>Every IANA name the server knows, sorted: the choices of the time zone fields.</summary>
    public static IReadOnlyList<string> Names => names.Value;

    public static bool IsKnown(string? name) => name is not null && known.Value.Contains(name);

    /// <summary>The zone of <paramref name="name"/>; an unknown or missing name falls back to <paramref name="fallback"/>, then UTC.</summary>
    public static TimeZoneInfo Find(string? name, string? fallback = null)
    {
        foreach (var candidate in new[] { name, fallback })
        {
            if (IsKnown(candidate) && TimeZoneInfo.TryFindSystemTimeZoneById(candidate!, out var zone))
            {
                return zone;
            }
        }

        return TimeZoneInfo.Utc;
    }

    public static string NameOf(TimeZoneInfo zone) =>
        zone == TimeZoneInfo.Utc || zone.Id is "Etc/UTC" or "UTC" ? Default : zone.Id;
}
