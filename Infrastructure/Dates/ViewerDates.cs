using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
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

    /// <summary>The same dates for a page: each in a <c>&lt;time&gt;</c> element with the exact moment on hover.</summary>
    public TimeElements Html => new(In);
}

/// <summary>
/// A date on a page as a <c>&lt;time&gt;</c> element: the text as <see cref="ZonedDates"/> writes it, the machine-readable
/// moment in <c>datetime</c>, and the exact moment, to the second and with its zone, as the title shown on hover.
/// </summary>
public readonly struct TimeElements(ZonedDates dates)
{
    public IHtmlContent DateTime(DateTimeOffset at) => Element(at, dates.DateTime(at));

    public IHtmlContent Date(DateTimeOffset at) => Element(at, dates.Date(at));

    public IHtmlContent Short(DateTimeOffset at) => Element(at, dates.Short(at));

    public IHtmlContent Short(DateTimeOffset? at, string none) => at is { } value ? Short(value) : new HtmlString(HtmlEncoder.Default.Encode(none));

    public IHtmlContent ShortDate(DateTimeOffset at) => Element(at, dates.ShortDate(at));

    private IHtmlContent Element(DateTimeOffset at, string text)
    {
        var iso = at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var exact = $"{dates.Precise(at)} {dates.Zone}";
        return new HtmlString($"<time datetime=\"{iso}\" title=\"{HtmlEncoder.Default.Encode(exact)}\">{HtmlEncoder.Default.Encode(text)}</time>");
    }
}
