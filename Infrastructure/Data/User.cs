using Microsoft.AspNetCore.Identity;

namespace Portal.Infrastructure.Data;

/// <summary>A login identity. Not a client: one user can reach many unconnected client accounts.</summary>
public sealed class User : IdentityUser<int>
{
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastLoginAt { get; set; }

    public List<ClientUser> Accounts { get; } = [];

    public string FullName => $"{FirstName} {LastName}".Trim();
}
