using Microsoft.EntityFrameworkCore;

namespace Portal.Infrastructure.Data;

/// <summary>The admin-controlled settings, with their defaults. Read once per request.</summary>
public sealed record SettingsSnapshot(
    bool UserManagementDisabled,
    bool EmailVerificationEnabled,
    int InvitationValidityDays,
    bool OnlyInvitedEmailMayAccept,
    bool IdentityVerificationRequired = false,
    string BankTransferInstructions = "",
    int? PruneInactiveAfterMonths = null,
    bool PruneDeletesUsers = false)
{
    public static readonly SettingsSnapshot Defaults = new(false, true, 7, false);

    public TimeSpan InvitationValidity => TimeSpan.FromDays(InvitationValidityDays);
}

public sealed class SystemSettings(PortalDbContext db)
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

    private SettingsSnapshot? _current;

    public async Task<SettingsSnapshot> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_current is not null)
        {
            return _current;
        }

        var stored = await db.Settings.AsNoTracking().ToDictionaryAsync(s => s.Key, s => s.Value, cancellationToken);
        var defaults = SettingsSnapshot.Defaults;
        _current = new SettingsSnapshot(
            Bool(stored, UserManagementDisabledKey, defaults.UserManagementDisabled),
            Bool(stored, EmailVerificationKey, defaults.EmailVerificationEnabled),
            stored.TryGetValue(InvitationValidityKey, out var days) && int.TryParse(days, out var d) && d is >= 1 and <= 90 ? d : defaults.InvitationValidityDays,
            Bool(stored, OnlyInvitedEmailKey, defaults.OnlyInvitedEmailMayAccept),
            Bool(stored, IdentityVerificationKey, defaults.IdentityVerificationRequired),
            stored.GetValueOrDefault(BankTransferInstructionsKey, defaults.BankTransferInstructions),
            stored.TryGetValue(PruneInactiveAfterMonthsKey, out var months) && int.TryParse(months, out var m) && m is >= 1 and <= PruneMonthsMax ? m : null,
            Bool(stored, PruneDeletesUsersKey, defaults.PruneDeletesUsers));
        return _current;
    }

    /// <summary>Adds the change to the unit of work; the caller saves.</summary>
    public async Task SetAsync(string key, string value, CancellationToken cancellationToken = default)
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

        _current = null;
    }

    private static bool Bool(Dictionary<string, string> stored, string key, bool fallback) =>
        stored.TryGetValue(key, out var value) && bool.TryParse(value, out var parsed) ? parsed : fallback;
}
