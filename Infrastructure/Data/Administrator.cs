namespace Portal.Infrastructure.Data;

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

    public string FullName => $"{FirstName} {LastName}".Trim();
}
