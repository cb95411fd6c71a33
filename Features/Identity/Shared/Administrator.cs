namespace Portal.Features.Identity;

/// <summary>A provider's staff member. A separate kind of login from client users, with its own cookie.</summary>
public sealed class Administrator
{
    public int Id { get; private set; }
    public string Email { get; set; } = "";
    public string NormalizedEmail { get; set; } = "";
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public int AccessFailedCount { get; set; }
    public DateTimeOffset? LockoutEnd { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastLoginAt { get; set; }

    /// <summary>The authenticator app's shared key, protected by the Data Protection key ring; null until enrolment starts.</summary>
    public string? AuthenticatorKey { get; set; }

    public bool TwoFactorEnabled { get; set; }

    /// <summary>The last time step whose code was accepted: a code is good once (RFC 6238 §5.2).</summary>
    public long? AuthenticatorLastStep { get; set; }

    public string FullName => $"{FirstName} {LastName}".Trim();

    public bool IsLockedOut(DateTimeOffset now) => LockoutEnd > now;

    /// <summary>
    /// Counts a wrong password under the same <see cref="LockoutPolicy"/> as client users; true when this one locked the
    /// login out (and started a fresh count).
    /// </summary>
    public bool RecordFailedLogin(DateTimeOffset now)
    {
        AccessFailedCount++;
        if (AccessFailedCount < LockoutPolicy.MaxFailedAttempts)
        {
            return false;
        }

        LockoutEnd = now + LockoutPolicy.Duration;
        AccessFailedCount = 0;
        return true;
    }

    public void RecordLogin(DateTimeOffset now)
    {
        AccessFailedCount = 0;
        LockoutEnd = null;
        LastLoginAt = now;
    }
}
