namespace Portal.Features.Settings;

/// <summary>How the provider's company details on the Settings page are kept: an address as lines, the way invoices print it.</summary>
public static class CompanyDetails
{
    /// <summary>The lines of a typed address, trimmed, without empty ones.</summary>
    public static IReadOnlyList<string> AddressLines(string? address) =>
        (address ?? "").ReplaceLineEndings("\n").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
