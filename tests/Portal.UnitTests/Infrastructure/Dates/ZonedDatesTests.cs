using Portal.Infrastructure.Dates;

namespace Portal.UnitTests.Infrastructure.Dates;

public sealed class ZonedDatesTests
{
    private static ZonedDates In(string zone) => new(TimeZones.Find(zone));

    [Fact]
    public void A_day_starts_at_midnight_in_the_readers_zone()
    {
        Assert.Equal(new DateTimeOffset(2023, 3, 1, 15, 0, 0, TimeSpan.Zero), In("Asia/Tokyo").StartOf(new DateOnly(2023, 3, 2)));
        Assert.Equal(new DateTimeOffset(2023, 3, 2, 15, 0, 0, TimeSpan.Zero), In("Asia/Tokyo").EndOf(new DateOnly(2023, 3, 2)));
        Assert.Equal(new DateTimeOffset(2023, 3, 2, 0, 0, 0, TimeSpan.Zero), ZonedDates.Utc.StartOf(new DateOnly(2023, 3, 2)));
    }

    [Fact]
    public void Where_the_clocks_skip_midnight_the_day_starts_at_its_first_minute()
    {
        // Chile moved its clocks from 00:00 to 01:00 on 3 September 2023.
        Assert.Equal(new DateTimeOffset(2023, 9, 3, 1, 0, 0, TimeSpan.FromHours(-3)), In("America/Santiago").StartOf(new DateOnly(2023, 9, 3)));
    }

    [Fact]
    public void The_first_and_last_days_a_form_can_send_need_no_moment_outside_the_calendar()
    {
        Assert.Equal(DateTimeOffset.MinValue, In("Asia/Tokyo").StartOf(DateOnly.MinValue));
        Assert.Null(In("Pacific/Kiritimati").EndOf(DateOnly.MaxValue));
    }
}
