using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Email.Templates;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Support;

/// <summary>A user with the tickets permission opens a ticket for the active account in a department clients may choose.</summary>
public static class OpenTicket
{
    public sealed record Departments : IQuery<IReadOnlyList<Department>>;

    public sealed record Department(int Id, string Name);

    internal sealed class DepartmentsHandler(PortalDbContext db) : IQueryHandler<Departments, IReadOnlyList<Department>>
    {
        public async ValueTask<IReadOnlyList<Department>> Handle(Departments query, CancellationToken cancellationToken) =>
            await db.Departments.AsNoTracking().Where(d => !d.IsHidden).OrderBy(d => d.Name).Select(d => new Department(d.Id, d.Name)).ToListAsync(cancellationToken);
    }

    public sealed class Command : ICommand<int>, ITransactional
    {
        public int DepartmentId { get; init; }
        public string? Subject { get; init; }
        public TicketPriority Priority { get; init; } = TicketPriority.Medium;
        public string? Message { get; init; }
    }

    public const string NoSuchDepartment = "Choose one of the departments.";

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Subject).RequiredText("Subject", SupportLengths.Subject);
            RuleFor(x => x.Message).RequiredMessage("Message", SupportLengths.Message);
            RuleFor(x => x.Priority).IsInEnum();
        }
    }

    internal sealed class Handler(PortalDbContext db, AccountContext account, ActivityWriter activity, Outbox outbox, TimeProvider time) : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command command, CancellationToken cancellationToken)
        {
            var clientId = account.RequireAccount().ClientId;
            var department = await db.Departments.SingleOrDefaultAsync(d => d.Id == command.DepartmentId && !d.IsHidden, cancellationToken)
                ?? throw Refuse.Because(nameof(Command.DepartmentId), NoSuchDepartment);
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == account.UserId, cancellationToken);
            var ticket = Ticket.Open(clientId, department, command.Subject!, command.Priority, new Sender(user.Email!, user.FullName, UserId: user.Id), command.Message!.Trim(), time.GetUtcNow());
            db.Tickets.Add(ticket);
            activity.Record($"Ticket {ticket.PublicReference} opened in {department.Name}: {ticket.Subject}", clientId);
            await db.SaveChangesAsync(cancellationToken);
            outbox.Queue(user.Email!, new TicketOpenedMail(ticket.PublicReference, ticket.Subject, user.FirstName, department.Name, outbox.Link($"/tickets/{ticket.Id}"), department.Email), clientId, user.Id);
            await db.SaveChangesAsync(cancellationToken);
            return ticket.Id;
        }
    }
}
