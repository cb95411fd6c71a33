using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Support;

/// <summary>
/// Support departments: a name, the address replies come from and inbound mail arrives at, and whether clients may
/// choose it. Admins list, add and edit them.
/// </summary>
public static class ManageDepartments
{
    public sealed record List : IQuery<IReadOnlyList<Row>>;

    public sealed record Row(int Id, string Name, string Email, bool IsHidden, int OpenTickets);

    internal sealed class ListHandler(PortalDbContext db) : IQueryHandler<List, IReadOnlyList<Row>>
    {
        public async ValueTask<IReadOnlyList<Row>> Handle(List query, CancellationToken cancellationToken) =>
            await db.Departments.AsNoTracking().OrderBy(d => d.Name)
                .Select(d => new Row(d.Id, d.Name, d.Email, d.IsHidden, db.Tickets.Count(t => t.DepartmentId == d.Id && t.Status != TicketStatus.Closed)))
                .ToListAsync(cancellationToken);
    }

    public sealed record Find(int Id) : IQuery<Save?>;

    internal sealed class FindHandler(PortalDbContext db) : IQueryHandler<Find, Save?>
    {
        public async ValueTask<Save?> Handle(Find query, CancellationToken cancellationToken) =>
            await db.Departments.AsNoTracking().Where(d => d.Id == query.Id)
                .Select(d => new Save { Id = d.Id, Name = d.Name, Email = d.Email, Hidden = d.IsHidden }).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Adds a department (no id) or changes one.</summary>
    public sealed class Save : ICommand<int>, ITransactional
    {
        [Microsoft.AspNetCore.Mvc.ModelBinding.BindNever]
        public int? Id { get; set; }

        public string? Name { get; init; }
        public string? Email { get; init; }
        public bool Hidden { get; init; }
    }

    public const string EmailTaken = "Another department already uses this address.";

    public sealed class Validator : AbstractValidator<Save>
    {
        public Validator()
        {
            RuleFor(x => x.Name).RequiredText("Name", FieldLengths.Name);
            RuleFor(x => x.Email).EmailField("Email address");
        }
    }

    internal sealed class SaveHandler(PortalDbContext db, ActivityWriter activity) : ICommandHandler<Save, int>
    {
        public async ValueTask<int> Handle(Save command, CancellationToken cancellationToken)
        {
            var email = command.Email!.Trim().ToLowerInvariant();
            if (await db.Departments.AnyAsync(d => d.Email == email && d.Id != command.Id, cancellationToken))
            {
                throw Refuse.Because(nameof(Save.Email), EmailTaken);
            }

            if (command.Id is { } id)
            {
                var department = await db.Departments.SingleOrDefaultAsync(d => d.Id == id, cancellationToken) ?? throw Refuse.NotFound($"Department {id}");
                department.Update(command.Name!, email, command.Hidden);
                activity.Record($"Support department {department.Name} ({department.Email}) updated{(department.IsHidden ? ", hidden from clients" : "")}");
                await db.SaveChangesAsync(cancellationToken);
                return department.Id;
            }

            var added = Department.Create(command.Name!, email, command.Hidden);
            db.Departments.Add(added);
            activity.Record($"Support department {added.Name} ({added.Email}) added{(added.IsHidden ? ", hidden from clients" : "")}");
            await db.SaveChangesAsync(cancellationToken);
            return added.Id;
        }
    }
}
