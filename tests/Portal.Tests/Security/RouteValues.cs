using System.Text.RegularExpressions;

namespace Portal.Tests.Security;

/// <summary>
/// The one place that knows which object each route parameter names, for the route matrix and the hostile input
/// corpus alike. A parameter it does not know fails the test: a new route teaches it here.
/// </summary>
public static partial class RouteValues
{
    /// <summary>Support objects of account A, when a test made them; an id of 0 is one that does not exist.</summary>
    public sealed record SupportIds(int TicketId = 0, int ContactId = 0, int DepartmentId = 0, string GuestToken = "no-such-link", long EmailId = 0);

    /// <summary>Objects of the billing side of account A, when a test made them; an id of 0 is one that does not exist.</summary>
    public sealed record BillingIds(int ProductId = 0, int OrderId = 0, int InvoiceId = 0, int ServiceId = 0);

    /// <summary>A product and an order of the account, placed by <paramref name="userId"/>, with its invoice and service.</summary>
    public static async Task<BillingIds> BillingOfAsync(Portal.Tests.Infrastructure.PortalFixture portal, int clientId, int userId)
    {
        var product = Portal.Features.Billing.Product.Create(
            new Portal.Features.Billing.ProductDetails("Matrix Plan", "", 10m, 0m, Portal.Features.Billing.BillingCycle.Monthly, false), DateTimeOffset.UtcNow);
        await portal.WithDbAsync(async db =>
        {
            db.Products.Add(product);
            await db.SaveChangesAsync();
        });
        var orderId = await Portal.Tests.Features.Billing.BillingWorld.PlaceOrderAsync(portal, clientId, userId, (product, 1));
        return await portal.WithDbAsync(async db => new BillingIds(
            product.Id,
            orderId,
            await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Invoices.Where(i => i.OrderId == orderId).Select(i => i.Id)),
            await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(db.Services.Where(s => s.OrderId == orderId).Select(s => s.Id))));
    }

    public static string Fill(string template, int clientId, int userId, int invitationId, SupportIds? support = null, BillingIds? billing = null) =>
        Parameter().Replace(template, match => ValueOf(match.Groups["name"].Value, template, clientId, userId, invitationId, support, billing))
            .Replace("//", "/").TrimEnd('/') is { Length: > 0 } path ? path : "/";

    /// <summary>Each parameter of the route with the value that names the given objects, as a form or query would send it.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Of(string template, int clientId, int userId, int invitationId, SupportIds? support = null, BillingIds? billing = null) =>
        Parameter().Matches(template).Select(m => m.Groups["name"].Value).Distinct()
            .Select(name => new KeyValuePair<string, string>(name, ValueOf(name, template, clientId, userId, invitationId, support, billing))).ToList();

    private static string ValueOf(string name, string template, int clientId, int userId, int invitationId, SupportIds? support, BillingIds? billing) =>
        (name, template) switch
        {
            ("userId", _) => userId.ToString(),
            ("id", _) when template.StartsWith("/account/users/invitations/", StringComparison.Ordinal) => invitationId.ToString(),
            ("id", _) when template.StartsWith("/admin/clients/", StringComparison.Ordinal) => clientId.ToString(),
            ("id", _) when template.StartsWith("/admin/users/", StringComparison.Ordinal) => userId.ToString(),
            ("invitationId", _) => invitationId.ToString(),
            ("id", _) when template.StartsWith("/tickets/", StringComparison.Ordinal) || template.StartsWith("/admin/tickets/", StringComparison.Ordinal) => (support?.TicketId ?? 0).ToString(),
            ("id", _) when template.StartsWith("/account/contacts/", StringComparison.Ordinal) => (support?.ContactId ?? 0).ToString(),
            ("id", _) when template.StartsWith("/admin/support/departments/", StringComparison.Ordinal) => (support?.DepartmentId ?? 0).ToString(),
            ("id", _) when template.StartsWith("/admin/products/", StringComparison.Ordinal) => (billing?.ProductId ?? 0).ToString(),
            ("id", _) when template.StartsWith("/orders/", StringComparison.Ordinal) || template.StartsWith("/admin/orders/", StringComparison.Ordinal) => (billing?.OrderId ?? 0).ToString(),
            ("id", _) when template.StartsWith("/invoices/", StringComparison.Ordinal) || template.StartsWith("/admin/invoices/", StringComparison.Ordinal) => (billing?.InvoiceId ?? 0).ToString(),
            ("id", _) when template.StartsWith("/services/", StringComparison.Ordinal) => (billing?.ServiceId ?? 0).ToString(),
            ("id", _) when template.StartsWith("/emails/", StringComparison.Ordinal) => (support?.EmailId ?? 0).ToString(),
            ("token", _) when template.StartsWith("/support/ticket/", StringComparison.Ordinal) => support?.GuestToken ?? "no-such-link",
            ("token", _) when template.StartsWith("/ownership/", StringComparison.Ordinal) => "no-such-link",
            ("path", _) when template.StartsWith("/admin/jobs", StringComparison.Ordinal) => "",
            ("path", "/{*path}") => "no-such-page",
            ("code", _) when template.StartsWith("/error", StringComparison.Ordinal) => "404",
            _ => throw new InvalidOperationException($"The tests cannot fill the parameter '{name}' of {template}: teach RouteValues.Fill which object it names."),
        };

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z]+)(:[^}]*)?\??\}")]
    private static partial Regex Parameter();
}
