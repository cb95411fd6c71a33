namespace Portal.Features.Identity;

/// <summary>Wrong passwords in a row before a login, client or admin, is locked, and for how long.</summary>
public static class LockoutPolicy
{
    public const int MaxFailedAttempts = 10;
    public static readonly TimeSpan Duration = TimeSpan.FromMinutes(15);
}
