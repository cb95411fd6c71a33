using Portal.Features.Settings;
using Portal.Infrastructure.Email;

namespace Portal.Features.Billing;

/// <summary>
/// The provider as its invoices name it ("Pay To"): the company details of the Settings page, with the portal's own
/// name when none is set, and the portal's logo (a file of the site: the Content-Security-Policy serves no other).
/// </summary>
public sealed record Seller(string Name, IReadOnlyList<string> AddressLines, string TaxId, string? LogoPath)
{
    public static Seller From(SettingsSnapshot settings, PortalOptions portal) => new(
        string.IsNullOrWhiteSpace(settings.SellerName) ? portal.CompanyName : settings.SellerName,
        CompanyDetails.AddressLines(settings.SellerAddress),
        settings.SellerTaxId,
        string.IsNullOrWhiteSpace(portal.LogoPath) ? null : portal.LogoPath);
}
