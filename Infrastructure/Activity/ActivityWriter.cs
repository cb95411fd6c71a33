using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Features.Activity;
using Portal.Features.Shared;

namespace Portal.Infrastructure.Activity;

/// <summary>
/// Adds activity-log entries to the current unit of work, so each is saved with the change it describes.
/// The actor is whoever this request belongs to: an admin, a user with their active account, an anonymous visitor
/// (known only by IP), or System outside requests. Every description is stored with control, bidi and line-separator
/// characters encoded (<see cref="PlainText"/>), so no caller can forge a line in the log or its CSV export.
/// </summary>
public sealed class ActivityWriter(PortalDbContext db, TimeProvider time, IHttpContextAccessor http, AccountContext account, AdminContext admin)
{
    /// <summary>Records an action of the current actor. A user's actions default to their active account.</summary>
    public void Record(string description, int? clientId = null)
    {
        if (admin.IsSignedIn && IsAdminRequest)
        {
            Add(description, clientId, null, admin.AdminId);
        }
        else if (account.IsSignedIn)
        {
            Add(description, clientId ?? account.Account?.ClientId, account.UserId, null);
        }
        else if (http.HttpContext is not null)
        {
            Add(description, clientId, null, null);
        }
        else
        {
            System(description, clientId);
        }
    }

    /// <summary>Who is acting on this request: an admin in the admin area, else the signed-in user, else nobody.</summary>
    public (int? UserId, int? AdminId) CurrentActor =>
        admin.IsSignedIn && IsAdminRequest ? (null, admin.AdminId) : account.IsSignedIn ? (account.UserId, null) : (null, null);

    /// <summary>Records an action of a user who is not (yet) signed in on this request, such as a login.</summary>
    public void ForUser(int? userId, int? clientId, string description) => Add(description, clientId, userId, null);

    public void ForAdmin(int? adminId, int? clientId, string description) => Add(description, clientId, null, adminId);

    /// <summary>Automation: attributed to System, with no IP address.</summary>
    public void System(string description, int? clientId = null) =>
        db.ActivityLog.Add(new ActivityLogEntry(time.GetUtcNow(), PlainText.Neutralise(description), clientId, null, null, null));

    private bool IsAdminRequest => http.HttpContext?.Request.Path.StartsWithSegments("/admin") ?? false;

    private void Add(string description, int? clientId, int? userId, int? adminId) =>
        db.ActivityLog.Add(new ActivityLogEntry(
            time.GetUtcNow(), PlainText.Neutralise(description), clientId, userId, adminId, http.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? "unknown"));
}
