namespace Portal.Infrastructure.Auth;

/// <summary>
/// User Management pages: only the owner of the active account, and only while the admin has not disabled client-area
/// user management.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class RequireUserManagementAttribute : RequireAccountAttribute;
