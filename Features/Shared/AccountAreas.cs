using Portal.Infrastructure.Data;
using Portal.Features.Membership;

namespace Portal.Features.Shared;

/// <summary>
/// The parts of the client area a permission opens, as the dashboard offers them. A permission whose area the portal
/// does not have yet (domains, quotes, affiliates, single sign-on) has no entry, so it is never offered as something
/// the user can do.
/// </summary>
public static class AccountAreas
{
    public sealed record Area(Permission Permission, string Page, string Title, string Description);

    public static readonly IReadOnlyList<Area> All =
    [
        new(Permission.Products, "/Billing/ListServices/Index", "Services", "See your products and services and their renewal dates."),
        new(Permission.ManageProducts, "/Billing/ListServices/Index", "Service passwords", "Reset the password of a service's login."),
        new(Permission.Invoices, "/Billing/ListInvoices/Index", "Invoices", "See and pay your invoices."),
        new(Permission.Orders, "/Billing/ListOrders/Index", "Orders", "See your orders, place new ones and request cancellations."),
        new(Permission.Tickets, "/Support/ListTickets/Index", "Support", "Open support tickets and follow the replies."),
        new(Permission.Contacts, "/Support/ListContacts/Index", "Contacts", "Keep the account's contacts up to date."),
        new(Permission.Profile, "/Clients/AccountProfile/Index", "Account Profile", "Change the account's name, address and phone number."),
    ];

    /// <summary>The areas <paramref name="permissions"/> opens, in the order the dashboard lists them.</summary>
    public static IEnumerable<Area> For(PermissionSet permissions) => All.Where(a => permissions.Has(a.Permission));
}
