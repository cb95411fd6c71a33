using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Billing;

/// <summary>A user with the orders permission asks for a service to be cancelled, immediately or at the end of its period, with a reason.</summary>
public static class RequestCancellation
{
    public sealed record Query(int ClientId, int ServiceId) : IQuery<Target?>;

    public sealed record Target(int Id, string Name, string? Refusal);

    public sealed class Command : ICommand
    {
        [BindNever] public int ClientId { get; set; }
        [BindNever] public int ServiceId { get; set; }
        [BindNever] public int UserId { get; set; }

        public CancellationKind Kind { get; init; } = CancellationKind.EndOfPeriod;
        public string? Reason { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Kind).IsInEnum().WithMessage("Choose when the service should end.");
            RuleFor(x => x.Reason).RequiredText("Reason", BillingLengths.Reason);
        }
    }

    internal sealed class QueryHandler(PortalDbContext db) : IQueryHandler<Query, Target?>
    {
        public async ValueTask<Target?> Handle(Query query, CancellationToken cancellationToken)
        {
            var service = await db.Services.AsNoTracking().SingleOrDefaultAsync(s => s.Id == query.ServiceId && s.ClientId == query.ClientId, cancellationToken);
            return service is null ? null : new Target(service.Id, service.Name, service.CannotRequestCancellation());
        }
    }

    internal sealed class Handler(PortalDbContext db, ActivityWriter activity, TimeProvider time) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var service = await db.Services.SingleOrDefaultAsync(s => s.Id == command.ServiceId && s.ClientId == command.ClientId, cancellationToken)
                ?? throw Refuse.NotFound("Service");
            if (service.CannotRequestCancellation() is { } refusal)
            {
                throw Refuse.Because(refusal);
            }

            service.RequestCancellation(command.Kind, command.Reason!.Trim(), command.UserId, time.GetUtcNow());
            activity.Record($"Cancellation of service {service.Name} (#{service.Id}) requested {(command.Kind == CancellationKind.Immediate ? "immediately" : "at the end of the period")}: {service.CancellationReason}", command.ClientId);
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }
}
