using Portal.Features.Billing;
using Portal.Features.Identity;

namespace Portal.UnitTests.Features.Billing;

/// <summary>Catalogue entries and orders as a handler would have them, without a database.</summary>
internal static class BillingExamples
{
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    public static Product Hosting(decimal price = 10m, decimal setupFee = 5m, BillingCycle cycle = BillingCycle.Monthly, bool hidden = false) =>
        Product.Create(new ProductDetails("Web Hosting", "Shared hosting", price, setupFee, cycle, hidden), Now);

    public static User User(string email = "orderer@example.test") =>
        new() { Id = 7, Email = email, UserName = email, FirstName = "Olive", LastName = "Orderer" };

    public static Order Order(User? user = null, bool verificationRequired = false, params (Product Product, int Quantity)[] lines) =>
        Portal.Features.Billing.Order.Place(
            clientId: 3,
            user ?? User(),
            createdByAdminId: null,
            lines.Length == 0 ? [(Hosting(), 1)] : lines,
            "key-1",
            invoiceNumber: 41,
            verificationRequired,
            Now);
}
