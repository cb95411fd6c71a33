using System.Globalization;

namespace Portal.Infrastructure.Dates;

/// <summary>
/// The one way Portal writes a moment: converted to one time zone and always saying which, on pages, in e-mails and
/// in CSV files. A table writes its cells with <see cref="Short"/> under a heading from <see cref="Column"/>.
/// </summary>
public sealed class ZonedDates(TimeZoneInfo zone)
{
    public static readonly ZonedDates Utc = new(TimeZoneInfo.Utc);

    /// <summary>The zone's IANA name, as the user chose it ("Europe/Berlin", "UTC").</summary>
    public string Zone { get; } = TimeZones.NameOf(zone);

    public DateTime Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone).DateTime;

    /// <summary>For sentences and single values: "5 December 2026 14:00 Europe/Berlin".</summary>
    public string DateTime(DateTimeOffset at) => $"{Local(at).ToString("d MMMM yyyy HH:mm", CultureInfo.InvariantCulture)} {Zone}";

    /// <summary>A calendar day in the zone: "5 December 2026" (due dates, payment days).</summary>
    public string Date(DateTimeOffset at) => Local(at).ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>A table cell: "2026-12-05 14:00", under a heading written by <see cref="Column"/>.</summary>
    public string Short(DateTimeOffset at) => Local(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A calendar day in a table cell: "2026-12-05".</summary>
    public string ShortDate(DateTimeOffset at) => Local(at).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>To the second, for logs and CSV cells: "2026-12-05 14:00:00", under a heading written by <see cref="Column"/>.</summary>
    public string Precise(DateTimeOffset at) => Local(at).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>
    /// The first moment of <paramref name="day"/> in the zone: where a date typed into a filter starts. Where the clocks
    /// skip midnight, the day starts at the first minute that exists.
    /// </summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        if (day <= DateOnly.MinValue.AddDays(1))
        {
            return DateTimeOffset.MinValue;
        }

        var local = day.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }

    /// <summary>The first moment after <paramref name="day"/> in the zone, or null for the last days there are.</summary>
    public DateTimeOffset? EndOf(DateOnly day) => day < DateOnly.MaxValue.AddDays(-1) ? StartOf(day.AddDays(1)) : null;

    /// <summary>The heading of a column of times: "Sent (Europe/Berlin)".</summary>
    public string Column(string label) => $"{label} ({Zone})";
}
