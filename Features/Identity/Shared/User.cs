using Microsoft.AspNetCore.Identity;
using Portal.Features.Membership;

namespace Portal.Features.Identity;

/// <summary>A login identity. Not a client: one user can reach many unconnected client accounts.</summary>
public sealed class User : IdentityUser<int>
{
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastLoginAt { get; set; }
    public DateTimeOffset? IdentityVerifiedAt { get; private set; }
    public int? IdentityVerifiedByAdminId { get; private set; }

    /// <summary>The IANA time zone the user reads dates in; none means the provider's default.</summary>
    public string? TimeZone { get; set; }

    /// <summary>When the user first saw the dashboard: the first visit says "Welcome", later ones "Welcome back".</summary>
    public DateTimeOffset? WelcomedAt { get; set; }

    /// <summary>The last time step whose authenticator code was accepted: a code is good once (RFC 6238 §5.2).</summary>
    public long? AuthenticatorLastStep { get; set; }

    public List<ClientUser> Accounts { get; } = [];

    public string FullName => $"{FirstName} {LastName}".Trim();

    public bool IsIdentityVerified => IdentityVerifiedAt is not null;

    /// <summary>
    /// Renames the user, whoever does it (the user on their profile, an admin on Manage User), and says what changed as
    /// the activity log writes it: "first name from Ann to Anne".
    /// </summary>
    public IReadOnlyList<string> Rename(string firstName, string lastName)
    {
        var changes = new List<string>();
        if (FirstName != firstName)
        {
            changes.Add($"first name from {FirstName} to {firstName}");
            FirstName = firstName;
        }

        if (LastName != lastName)
        {
            changes.Add($"last name from {LastName} to {lastName}");
            LastName = lastName;
        }

        return changes;
    }

    /// <summary>An admin checked who this user is. Once verified, the user stays verified, for every later order in every account.</summary>
    public bool MarkIdentityVerified(int? adminId, DateTimeOffset now)
    {
        if (IsIdentityVerified)
        {
            return false;
        }

        IdentityVerifiedAt = now;
        IdentityVerifiedByAdminId = adminId;
        return true;
    }
}
