using Portal.Infrastructure.Dates;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Features.Settings;

/// <summary>The admin-controlled settings, with their defaults. Read at most once per request, and only when their stamp changed.</summary>
public sealed record SettingsSnapshot(
    bool UserManagementDisabled,
    bool EmailVerificationEnabled,
    int InvitationValidityDays,
    bool OnlyInvitedEmailMayAccept,
    bool IdentityVerificationRequired = false,
    string BankTransferInstructions = "",
    int? PruneInactiveAfterMonths = null,
    bool PruneDeletesUsers = false,
    string DefaultTimeZone = TimeZones.Default,
    bool AdminTwoFactorRequired = true,
    int StepUpMinutes = SystemSettings.StepUpMinutesDefault,
    bool CloseWithoutApproval = false,
    int? PaymentReminderDaysBefore = SystemSettings.PaymentReminderDaysDefault,
    int? OverdueNoticeDaysAfter = SystemSettings.OverdueNoticeDaysDefault,
    string SellerName = "",
    string SellerAddress = "",
    string SellerTaxId = "",
    string ModulesOffered = "")
{
    public static readonly SettingsSnapshot Defaults = new(false, true, 7, false);

    public TimeSpan InvitationValidity => TimeSpan.FromDays(InvitationValidityDays);

    /// <summary>The optional modules offered to clients (<see cref="SystemSettings.ModulesOfferedKey"/>).</summary>
    public IReadOnlySet<OptionalModule> Modules => OptionalModules.Parse(ModulesOffered);
}

/// <summary>
/// The settings as this instance last read them, with the version stamp they were read at. Every change writes a new
/// stamp (<see cref="SystemSettings.VersionKey"/>) in the same save; the per-request session check reads the stamp in
/// its one query, so a request sees a change made by any instance, and only a request that sees a new stamp reads the
/// settings again.
/// </summary>
public sealed class SettingsCache
{
    private sealed record Entry(string? Stamp, SettingsSnapshot Snapshot);

    private volatile Entry? _entry;

    public SettingsSnapshot? At(string? stamp) => _entry is { } entry && entry.Stamp == stamp ? entry.Snapshot : null;

    public void Store(string? stamp, SettingsSnapshot snapshot) => _entry = new Entry(stamp, snapshot);
}

public sealed class SystemSettings
{
    public const string UserManagementDisabledKey = "DisableClientAreaUserManagement";
    public const string EmailVerificationKey = "EmailVerificationEnabled";
    public const string InvitationValidityKey = "InvitationValidityDays";
    public const string OnlyInvitedEmailKey = "OnlyInvitedEmailMayAccept";
    public const string IdentityVerificationKey = "RequireIdentityVerificationForNewOrders";
    public const string BankTransferInstructionsKey = "BankTransferInstructions";
    public const string PruneInactiveAfterMonthsKey = "PruneInactiveClientsAfterMonths";
    public const string PruneDeletesUsersKey = "PruneInactiveClientsDeleteUsers";
    public const int PruneMonthsMax = 120;
    public const string DefaultTimeZoneKey = "DefaultTimeZone";

    /// <summary>On unless stored off: a new install asks every admin for a second factor; the migration that added it stored Off for installs that already had admins.</summary>
    public const string AdminTwoFactorKey = "RequireTwoFactorForAdmins";

    /// <summary>How old the last proof of a session (password or second factor) may be for a sensitive action.</summary>
    public const string StepUpMinutesKey = "StepUpMinutes";

    /// <summary>An owner's request to close their account closes it at once, without an admin's approval.</summary>
    public const string CloseWithoutApprovalKey = "CloseAccountsWithoutApproval";
    public const int StepUpMinutesDefault = 10;
    public const int StepUpMinutesMax = 1440;

    /// <summary>How many days before an unpaid invoice's due date its reminder goes out; stored empty: none.</summary>
    public const string PaymentReminderDaysKey = "PaymentReminderDaysBefore";
    public const int PaymentReminderDaysDefault = 3;

    /// <summary>Less than the payment term: a reminder as early as the invoice itself tells nothing new.</summary>
    public const int PaymentReminderDaysMax = 13;

    /// <summary>How many days after an unpaid invoice's due date its overdue notice goes out; stored empty: none.</summary>
    public const string OverdueNoticeDaysKey = "OverdueNoticeDaysAfter";
    public const int OverdueNoticeDaysDefault = 1;
    public const int OverdueNoticeDaysMax = 90;

    /// <summary>The provider as invoices name it under "Pay To"; empty: the portal's company name.</summary>
    public const string SellerNameKey = "InvoiceSellerName";

    /// <summary>The provider's postal address on invoices, one line per line.</summary>
    public const string SellerAddressKey = "InvoiceSellerAddress";

    /// <summary>The provider's tax or VAT number on invoices, free text.</summary>
    public const string SellerTaxIdKey = "InvoiceSellerTaxId";

    /// <summary>The optional modules whose permissions the permission forms show, as stored keys; none by default.</summary>
    public const string ModulesOfferedKey = "ModulesOffered";

    /// <summary>A new value on every change of any setting: how every instance knows its cached settings are stale.</summary>
    public const string VersionKey = "SettingsVersion";

    private readonly PortalDbContext db;
    private readonly SettingsCache? cache;
    private SettingsSnapshot? _current;
    private bool _stampRead;
    private string? _stamp;

    /// <summary>Reads the database every time: for tools and tests outside a request.</summary>
    public SystemSettings(PortalDbContext db)
        : this(db, null)
    {
    }

    [ActivatorUtilitiesConstructor]
    public SystemSettings(PortalDbContext db, SettingsCache? cache)
    {
        this.db = db;
        this.cache = cache;
    }

    /// <summary>The session check of this request read <paramref name="stamp"/> from the database, in the same query as the session.</summary>
    public void StampRead(string? stamp)
    {
        _stampRead = true;
        _stamp = stamp;
    }

    public async Task<SettingsSnapshot> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_current is not null)
        {
            return _current;
        }

        if (Cached() is { } cached)
        {
            return _current = cached;
        }

        return Read(await db.Settings.AsNoTracking().ToDictionaryAsync(s => s.Key, s => s.Value, cancellationToken));
    }

    /// <summary>
    /// The same snapshot for code that cannot wait, such as a date written in a view or an e-mail rendered by the
    /// outbox; read at most once per request and only when the stamp changed, like <see cref="GetAsync"/>.
    /// </summary>
    public SettingsSnapshot Get() =>
        _current ??= Cached() ?? Read(db.Settings.AsNoTracking().ToDictionary(s => s.Key, s => s.Value));

    // A command in a write transaction reads what it is about to change from the database, never from the cache.
    private SettingsSnapshot? Cached() =>
        _stampRead && db.Database.CurrentTransaction is null ? cache?.At(_stamp) : null;

    private SettingsSnapshot Read(Dictionary<string, string> stored)
    {
        var defaults = SettingsSnapshot.Defaults;
        _current = new SettingsSnapshot(
            Bool(stored, UserManagementDisabledKey, defaults.UserManagementDisabled),
            Bool(stored, EmailVerificationKey, defaults.EmailVerificationEnabled),
            stored.TryGetValue(InvitationValidityKey, out var days) && int.TryParse(days, out var d) && d is >= 1 and <= 90 ? d : defaults.InvitationValidityDays,
            Bool(stored, OnlyInvitedEmailKey, defaults.OnlyInvitedEmailMayAccept),
            Bool(stored, IdentityVerificationKey, defaults.IdentityVerificationRequired),
            stored.GetValueOrDefault(BankTransferInstructionsKey, defaults.BankTransferInstructions),
            stored.TryGetValue(PruneInactiveAfterMonthsKey, out var months) && int.TryParse(months, out var m) && m is >= 1 and <= PruneMonthsMax ? m : null,
            Bool(stored, PruneDeletesUsersKey, defaults.PruneDeletesUsers),
            stored.TryGetValue(DefaultTimeZoneKey, out var zone) && TimeZones.IsKnown(zone) ? zone : defaults.DefaultTimeZone,
            Bool(stored, AdminTwoFactorKey, defaults.AdminTwoFactorRequired),
            stored.TryGetValue(StepUpMinutesKey, out var stepUp) && int.TryParse(stepUp, out var su) && su is >= 1 and <= StepUpMinutesMax ? su : defaults.StepUpMinutes,
            Bool(stored, CloseWithoutApprovalKey, defaults.CloseWithoutApproval),
            Days(stored, PaymentReminderDaysKey, PaymentReminderDaysMax, defaults.PaymentReminderDaysBefore),
            Days(stored, OverdueNoticeDaysKey, OverdueNoticeDaysMax, defaults.OverdueNoticeDaysAfter),
            stored.GetValueOrDefault(SellerNameKey, defaults.SellerName),
            stored.GetValueOrDefault(SellerAddressKey, defaults.SellerAddress),
            stored.GetValueOrDefault(SellerTaxIdKey, defaults.SellerTaxId),
            OptionalModules.Store(OptionalModules.Parse(stored.GetValueOrDefault(ModulesOfferedKey, defaults.ModulesOffered))));
        cache?.Store(stored.GetValueOrDefault(VersionKey), _current);
        return _current;
    }

    /// <summary>Adds the change to the unit of work; the caller saves.</summary>
    public async Task SetAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        await StoreAsync(key, value, cancellationToken);
        await StoreAsync(VersionKey, Guid.NewGuid().ToString("N"), cancellationToken);
        _current = null;
    }

    private async Task StoreAsync(string key, string value, CancellationToken cancellationToken)
    {
        var setting = await db.Settings.FindAsync([key], cancellationToken);
        if (setting is null)
        {
            db.Settings.Add(new Setting { Key = key, Value = value });
        }
        else
        {
            setting.Value = value;
        }
    }

    /// <summary>A number of days that may be off: never stored is the default, stored empty is off.</summary>
    private static int? Days(Dictionary<string, string> stored, string key, int max, int? fallback) =>
        !stored.TryGetValue(key, out var value) ? fallback
        : value.Length == 0 ? null
        : int.TryParse(value, out var days) && days >= 1 && days <= max ? days : fallback;

    private static bool Bool(Dictionary<string, string> stored, string key, bool fallback) =>
        stored.TryGetValue(key, out var value) && bool.TryParse(value, out var parsed) ? parsed : fallback;
}
