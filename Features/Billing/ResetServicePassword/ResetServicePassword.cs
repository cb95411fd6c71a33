using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Billing;

/// <summary>A user who may see product passwords gives a service's login a new generated password, shown once; the reset is logged, the password never.</summary>
public static class ResetServicePassword
{
    public sealed record Query(int ClientId, int ServiceId) : IQuery<Target?>;

    public sealed record Target(int Id, string Name, string? Username);

    public sealed record Command(int ClientId, int ServiceId) : ICommand<string>;

    internal sealed class QueryHandler(PortalDbContext db) : IQueryHandler<Query, Target?>
    {
        public async ValueTask<Target?> Handle(Query query, CancellationToken cancellationToken) =>
            await db.Services.AsNoTracking().Where(s => s.Id == query.ServiceId && s.ClientId == query.ClientId)
                .Select(s => new Target(s.Id, s.Name, s.Username)).SingleOrDefaultAsync(cancellationToken);
    }

    internal sealed class Handler(PortalDbContext db, ServiceLogins logins, ActivityWriter activity) : ICommandHandler<Command, string>
    {
        public async ValueTask<string> Handle(Command command, CancellationToken cancellationToken)
        {
            var service = await db.Services.SingleOrDefaultAsync(s => s.Id == command.ServiceId && s.ClientId == command.ClientId, cancellationToken)
                ?? throw Refuse.NotFound("Service");
            if (service.Username is null || service.Status == ServiceStatus.Cancelled)
            {
                throw Refuse.Because("Only an active service's login can be reset.");
            }

            var password = logins.Issue(service);
            activity.Record($"Password of service {service.Name} (#{service.Id}) login {service.Username} reset", command.ClientId);
            await db.SaveChangesAsync(cancellationToken);
            return password;
        }
    }
}
