using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Web;

namespace Portal.Features.Identity;

/// <summary>
/// Ends the session on the server as well as in the browser, so a saved cookie cannot be replayed: the client's
/// logout and the admin's, which differ only in their cookie and their log line.
/// </summary>
public static class Logout
{
    public sealed record Command(bool Admin) : ICommand;

    internal sealed class Handler(
        PortalDbContext db, AccountContext account, AdminContext admin, ClientSignIn clientSignIn, AdminSignIn adminSignIn, ActivityWriter activity)
        : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            if (command.Admin && admin.IsSignedIn)
            {
                activity.Record($"Admin {admin.Name} logged out");
                await db.SaveChangesAsync(cancellationToken);
                await adminSignIn.SignOutAsync(admin.SessionId);
            }
            else if (!command.Admin && account.IsSignedIn)
            {
                activity.Record($"Logged out {account.Email}");
                await db.SaveChangesAsync(cancellationToken);
                await clientSignIn.SignOutAsync(account.SessionId);
            }

            return Unit.Value;
        }
    }
}
