using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Features.Settings;

namespace Portal.Infrastructure.Dates;

/// <summary>
/// The dates of this request, in the zone of whoever reads them: the signed-in user's own zone, otherwise the
/// provider's default (admin pages, anonymous pages). Resolved on first use, so a page without dates reads nothing.
/// </summary>
public sealed class ViewerDates(AccountContext account, SystemSettings settings)
{
    private ZonedDates? dates;

    public ZonedDates In => dates ??= new ZonedDates(
        TimeZones.Find(account.IsSignedIn ? account.TimeZone : null, settings.Get().DefaultTimeZone));

    public string Zone => In.Zone;

    public string DateTime(DateTimeOffset at) => In.DateTime(at);

    public string Date(DateTimeOffset at) => In.Date(at);

    public string Short(DateTimeOffset at) => In.Short(at);

    public string Short(DateTimeOffset? at, string none) => at is { } value ? In.Short(value) : none;

    public string ShortDate(DateTimeOffset at) => In.ShortDate(at);

    public string Precise(DateTimeOffset at) => In.Precise(at);

    public string Column(string label) => In.Column(label);
}
