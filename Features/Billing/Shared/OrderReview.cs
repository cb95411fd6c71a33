using System.Globalization;

namespace Portal.Features.Billing;

/// <summary>
/// What a person was shown before confirming an order: the lines, each with the price, setup fee and billing cycle of
/// the moment, stored under the key the confirmation posts back. A confirmation is bound to it: lines or prices that
/// differ from what was reviewed (a price changed since, or a form altered) are never charged, the order goes back to
/// review instead.
/// </summary>
public sealed class OrderReview
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public string Key { get; private set; } = "";
    public int ClientId { get; private set; }

    /// <summary>The user the order will be for; none when an admin reviews it for the account's owner.</summary>
    public int? UserId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>The reviewed lines in one canonical text (<see cref="Describe"/>), compared whole with the lines confirmed.</summary>
    public string Lines { get; private set; } = "";

    public decimal Total { get; private set; }

    private OrderReview()
    {
    }

    public static OrderReview Of(string key, int clientId, int? userId, IReadOnlyList<(Product Product, int Quantity)> lines, DateTimeOffset now) => new()
    {
        Key = key,
        ClientId = clientId,
        UserId = userId,
        CreatedAt = now,
        ExpiresAt = now + Lifetime,
        Lines = Describe(lines),
        Total = lines.Sum(l => l.Quantity * l.Product.FirstPayment),
    };

    public bool IsFor(int clientId, int? userId, DateTimeOffset now) => ClientId == clientId && UserId == userId && now < ExpiresAt;

    /// <summary>Whether <paramref name="lines"/>, priced from the catalogue now, are exactly what was reviewed.</summary>
    public bool Matches(IReadOnlyList<(Product Product, int Quantity)> lines) => Describe(lines) == Lines;

    /// <summary>Product, quantity, price, setup fee and cycle of each line, in the order chosen.</summary>
    public static string Describe(IEnumerable<(Product Product, int Quantity)> lines) =>
        string.Join(';', lines.Select(l => string.Create(CultureInfo.InvariantCulture,
            $"{l.Product.Id}x{l.Quantity}@{l.Product.Price:0.00}+{l.Product.SetupFee:0.00}/{l.Product.Cycle}")));
}
