using Portal.Features.Settings;

namespace Portal.Features.Membership;

/// <summary>The thirteen per-account permissions, stored by key (the keys and labels of the source system, so data migrates unchanged).</summary>
public enum Permission
{
    Profile,
    Contacts,
    Products,
    ManageProducts,
    ProductSso,
    Domains,
    ManageDomains,
    Invoices,
    Quotes,
    Tickets,
    Affiliates,
    Emails,
    Orders,
}

public static class Permissions
{
    /// <summary><paramref name="Module"/>: the optional module the permission belongs to; null for Portal's own features.</summary>
    public sealed record Info(Permission Permission, string Key, string Label, OptionalModule? Module = null);

    public static readonly IReadOnlyList<Info> All =
    [
        new(Permission.Profile, "profile", "Modify Master Account Profile"),
        new(Permission.Contacts, "contacts", "View & Manage Contacts"),
        new(Permission.Products, "products", "View Products & Services"),
        new(Permission.ManageProducts, "manageproducts", "View & Modify Product Passwords"),
        new(Permission.ProductSso, "productsso", "Perform Single Sign-On", OptionalModule.SingleSignOn),
        new(Permission.Domains, "domains", "View Domains", OptionalModule.Domains),
        new(Permission.ManageDomains, "managedomains", "Manage Domain Settings", OptionalModule.Domains),
        new(Permission.Invoices, "invoices", "View & Pay Invoices"),
        new(Permission.Quotes, "quotes", "View & Accept Quotes", OptionalModule.Quotes),
        new(Permission.Tickets, "tickets", "View & Open Support Tickets"),
        new(Permission.Affiliates, "affiliates", "View & Manage Affiliate Account", OptionalModule.Affiliates),
        new(Permission.Emails, "emails", "View Emails"),
        new(Permission.Orders, "orders", "Place New Orders/Upgrades/Cancellations"),
    ];

    private static readonly Dictionary<string, Info> ByKey = All.ToDictionary(p => p.Key, StringComparer.Ordinal);

    public static Info Of(Permission permission) => All[(int)permission];

    public static bool IsKnownKey(string? key) => key is not null && ByKey.ContainsKey(key);

    public static Permission FromKey(string key) => ByKey[key].Permission;

    /// <summary>
    /// The permissions the permission forms show and grant: Portal's own, and those of the optional modules the admin
    /// offers (Settings, "Modules offered").
    /// </summary>
    public static PermissionSet Offered(IReadOnlySet<OptionalModule> modules) =>
        PermissionSet.Of(All.Where(p => p.Module is not { } module || modules.Contains(module)).Select(p => p.Permission));
}

/// <summary>An immutable set of permissions, stored as a comma-separated list of keys in a fixed order.</summary>
public readonly record struct PermissionSet
{
    private readonly int _bits;

    private PermissionSet(int bits) => _bits = bits;

    public static PermissionSet Every => new((1 << Permissions.All.Count) - 1);

    public static PermissionSet Of(IEnumerable<Permission> permissions) =>
        new(permissions.Aggregate(0, (bits, p) => bits | (1 << (int)p)));

    /// <summary>Unknown keys are dropped: a stored or posted key that is not one of the thirteen grants nothing.</summary>
    public static PermissionSet FromKeys(IEnumerable<string>? keys) =>
        Of((keys ?? []).Where(Permissions.IsKnownKey).Select(Permissions.FromKey));

    public static PermissionSet Parse(string? stored) =>
        FromKeys((stored ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public bool Has(Permission permission) => (_bits & (1 << (int)permission)) != 0;

    public bool IsEmpty => _bits == 0;

    public PermissionSet Intersect(PermissionSet other) => new(_bits & other._bits);

    public PermissionSet Union(PermissionSet other) => new(_bits | other._bits);

    public PermissionSet Except(PermissionSet other) => new(_bits & ~other._bits);

    public bool IsEvery => this == Every;

    public IEnumerable<Permissions.Info> Items
    {
        get
        {
            var bits = _bits;
            return Permissions.All.Where(p => (bits & (1 << (int)p.Permission)) != 0);
        }
    }

    public IEnumerable<string> Keys => Items.Select(p => p.Key);

    public string Stored => string.Join(',', Keys);

    public string Describe() => IsEvery ? "All Permissions" : IsEmpty ? "none" : string.Join(", ", Items.Select(p => p.Label));

    /// <summary>The set as the activity log writes it: <c>{View & Pay Invoices, View & Open Support Tickets}</c>.</summary>
    public string ForLog() => "{" + Describe() + "}";

    public override string ToString() => Stored;
}
