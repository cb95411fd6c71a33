using System.Globalization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Portal.Features.Billing;

/// <summary>Limits of amounts and billing text, shared by the EF model and the validators.</summary>
public static class BillingLengths
{
    public const int ProductName = 150;
    public const int Description = 2000;
    public const int LineDescription = 300;
    public const int PaymentMethod = 50;
    public const int Reference = 100;
    public const int Reason = 1000;
    public const int Username = 64;
    public const int IdempotencyKey = 64;

    /// <summary>The largest price or payment accepted, well inside what the minor-unit column holds.</summary>
    public const decimal MaxAmount = 1_000_000m;

    /// <summary>Whole cents: an amount with more decimals is refused rather than rounded.</summary>
    public static bool HasAtMostTwoDecimals(decimal amount) => decimal.Round(amount, 2) == amount;
}

/// <summary>
/// Stores money as whole minor units (cents), so amounts sum, sort and compare in SQL on SQLite (which has no decimal
/// type) as on PostgreSQL.
/// </summary>
public sealed class MinorUnitsConverter() : ValueConverter<decimal, long>(
    value => (long)decimal.Round(value * 100m, 0, MidpointRounding.AwayFromZero),
    cents => cents / 100m);

/// <summary>The one way amounts are shown: two decimals, grouped, followed by the currency code from <c>Billing:Currency</c>.</summary>
public sealed class Money(IConfiguration configuration)
{
    public string Currency { get; } = NormalizedCurrency(configuration["Billing:Currency"]);

    public string Format(decimal amount) => Format(amount, Currency);

    public static string Format(decimal amount, string currency) => $"{amount.ToString("#,0.00", CultureInfo.InvariantCulture)} {currency}";

    private static string NormalizedCurrency(string? configured) =>
        string.IsNullOrWhiteSpace(configured) ? "USD" : configured.Trim().ToUpperInvariant();
}
