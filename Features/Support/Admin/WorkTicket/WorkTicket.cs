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
using Portal.Features.Clients;

namespace Portal.Features.Support;

/// <summary>
/// A ticket as staff work it: the whole thread with each reply's badge (computed now, against the ticket's current
/// account) and the internal notes; answer as operator (mailed to the requester and the account's followers), add a
/// note, change status, priority or department, and assign the ticket to a client account. A reply whose sender is
/// only a claim says so beside its badge; a mailed reply held because its sender is unrelated to the ticket waits
/// here until staff accept it (the client then sees it) or keep it as a staff note.
/// </summary>
public static class WorkTicket
{
    public sealed record Query(int TicketId) : IQuery<Thread?>;

    public sealed record Thread(
        int Id, string Reference, string Subject, int DepartmentId, string Department, TicketStatus Status, TicketPriority Priority,
        int? ClientId, string? ClientName, string Requester, DateTimeOffset CreatedAt, IReadOnlyList<Entry> Entries, IReadOnlyList<(int Id, string Name)> Departments);

    public sealed record Entry(int Id, string SenderName, string SenderEmail, Badge Badge, bool IsInternalNote, string Message, DateTimeOffset At, string? ProofNote = null, bool IsHeld = false);

    internal sealed class QueryHandler(PortalDbContext db) : IQueryHandler<Query, Thread?>
    {
        public async ValueTask<Thread?> Handle(Query query, CancellationToken cancellationToken)
        {
            var ticket = await db.Tickets.AsNoTracking().Include(t => t.Department).Include(t => t.Replies)
                .SingleOrDefaultAsync(t => t.Id == query.TicketId, cancellationToken);
            if (ticket is null)
            {
                return null;
            }

            var facts = await Badges.LoadAsync(db, ticket.ClientId, ticket.Replies.Select(r => r.NormalizedSenderEmail), cancellationToken);
            var client = ticket.ClientId is { } clientId
                ? await db.Clients.AsNoTracking().Where(c => c.Id == clientId).Select(c => new { c.FirstName, c.LastName, c.CompanyName }).SingleOrDefaultAsync(cancellationToken)
                : null;
            var departments = await db.Departments.AsNoTracking().OrderBy(d => d.Name).Select(d => new { d.Id, d.Name }).ToListAsync(cancellationToken);
            return new Thread(
                ticket.Id, ticket.PublicReference, ticket.Subject, ticket.DepartmentId, ticket.Department.Name, ticket.Status, ticket.Priority, ticket.ClientId,
                client is null ? null : Client.DisplayNameOf(client.FirstName, client.LastName, client.CompanyName),
                ticket.RequesterName.Length > 0 ? $"{ticket.RequesterName} <{ticket.RequesterEmail}>" : ticket.RequesterEmail, ticket.CreatedAt,
                ticket.Replies.OrderBy(r => r.At).ThenBy(r => r.Id)
                    .Select(r => new Entry(r.Id, r.SenderName, r.SenderEmail, Badges.For(Badges.WriterOf(r), facts), r.IsInternalNote, r.Message, r.At,
                        TicketReply.ProofNote(r.Channel, r.SenderVerified), r.IsHeld)).ToList(),
                departments.Select(d => (d.Id, d.Name)).ToList());
        }
    }

    public abstract class TicketCommand
    {
        [Microsoft.AspNetCore.Mvc.ModelBinding.BindNever]
        public int TicketId { get; set; }
    }

    public sealed class Answer : TicketCommand, ICommand, ITransactional
    {
        public string? Message { get; init; }
    }

    public sealed class AnswerValidator : AbstractValidator<Answer>
    {
        public AnswerValidator() => RuleFor(x => x.Message).RequiredMessage("Message", SupportLengths.Message);
    }

    internal sealed class AnswerHandler(PortalDbContext db, AdminContext admin, ActivityWriter activity, Outbox outbox, TimeProvider time) : ICommandHandler<Answer>
    {
        public async ValueTask<Unit> Handle(Answer command, CancellationToken cancellationToken)
        {
            var ticket = await TicketAsync(db, command.TicketId, cancellationToken);
            var email = await db.Admins.Where(a => a.Id == admin.AdminId).Select(a => a.Email).SingleAsync(cancellationToken);
            var message = command.Message!.Trim();
            ticket.Reply(new Sender(email, admin.Name, AdminId: admin.AdminId), message, time.GetUtcNow());
            activity.Record($"Ticket {ticket.PublicReference} answered", ticket.ClientId);
            var replyTo = await db.Departments.Where(d => d.Id == ticket.DepartmentId).Select(d => d.Email).SingleAsync(cancellationToken);
            foreach (var recipient in await TicketFollowers.ForAnswerAsync(db, ticket, cancellationToken))
            {
                var link = recipient.UserId is not null && ticket.ClientId is not null ? outbox.Link($"/tickets/{ticket.Id}") : null;
                outbox.Queue(recipient.Email, new TicketAnsweredMail(ticket.PublicReference, ticket.Subject, message, link, replyTo), ticket.ClientId, recipient.UserId);
            }

            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }

    public sealed class Note : TicketCommand, ICommand
    {
        public string? Text { get; init; }
    }

    public sealed class NoteValidator : AbstractValidator<Note>
    {
        public NoteValidator() => RuleFor(x => x.Text).RequiredMessage("Note", SupportLengths.Message);
    }

    internal sealed class NoteHandler(PortalDbContext db, AdminContext admin, ActivityWriter activity, TimeProvider time) : ICommandHandler<Note>
    {
        public async ValueTask<Unit> Handle(Note command, CancellationToken cancellationToken)
        {
            var ticket = await TicketAsync(db, command.TicketId, cancellationToken);
            var email = await db.Admins.Where(a => a.Id == admin.AdminId).Select(a => a.Email).SingleAsync(cancellationToken);
            ticket.AddInternalNote(admin.AdminId, admin.Name, email, command.Text!.Trim(), time.GetUtcNow());
            activity.Record($"Internal note added to ticket {ticket.PublicReference}", ticket.ClientId);
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }

    public sealed class Update : TicketCommand, ICommand
    {
        public TicketStatus Status { get; init; }
        public TicketPriority Priority { get; init; }
        public int DepartmentId { get; init; }
    }

    public sealed class UpdateValidator : AbstractValidator<Update>
    {
        public UpdateValidator()
        {
            RuleFor(x => x.Status).IsInEnum();
            RuleFor(x => x.Priority).IsInEnum();
        }
    }

    internal sealed class UpdateHandler(PortalDbContext db, ActivityWriter activity) : ICommandHandler<Update>
    {
        public async ValueTask<Unit> Handle(Update command, CancellationToken cancellationToken)
        {
            var ticket = await TicketAsync(db, command.TicketId, cancellationToken);
            var department = await db.Departments.SingleOrDefaultAsync(d => d.Id == command.DepartmentId, cancellationToken)
                ?? throw Refuse.Because(nameof(Update.DepartmentId), "Choose one of the departments.");
            var changes = new List<string>();
            if (ticket.Status != command.Status)
            {
                changes.Add($"status {ticket.Status.Label()} → {command.Status.Label()}");
                ticket.ChangeStatus(command.Status);
            }

            if (ticket.Priority != command.Priority)
            {
                changes.Add($"priority {ticket.Priority} → {command.Priority}");
                ticket.ChangePriority(command.Priority);
            }

            if (ticket.DepartmentId != department.Id)
            {
                changes.Add($"department → {department.Name}");
                ticket.MoveTo(department);
            }

            if (changes.Count > 0)
            {
                activity.Record($"Ticket {ticket.PublicReference} changed: {string.Join(", ", changes)}", ticket.ClientId);
                await db.SaveChangesAsync(cancellationToken);
            }

            return Unit.Value;
        }
    }

    public sealed class Assign : TicketCommand, ICommand
    {
        /// <summary>The client account's id; empty leaves the ticket with no account.</summary>
        public int? ClientId { get; init; }
    }

    public const string NoSuchClient = "There is no client account with this ID.";

    internal sealed class AssignHandler(PortalDbContext db, ActivityWriter activity) : ICommandHandler<Assign>
    {
        public async ValueTask<Unit> Handle(Assign command, CancellationToken cancellationToken)
        {
            var ticket = await TicketAsync(db, command.TicketId, cancellationToken);
            if (command.ClientId is { } clientId && !await db.Clients.AnyAsync(c => c.Id == clientId, cancellationToken))
            {
                throw Refuse.Because(nameof(Assign.ClientId), NoSuchClient);
            }

            if (ticket.ClientId != command.ClientId)
            {
                var previous = ticket.ClientId;
                ticket.AssignTo(command.ClientId);
                var description = $"Ticket {ticket.PublicReference} assigned to {(command.ClientId is { } id ? $"client #{id}" : "no client")}";
                activity.Record(description, command.ClientId);
                if (previous is not null)
                {
                    activity.Record(description, previous);
                }

                await db.SaveChangesAsync(cancellationToken);
            }

            return Unit.Value;
        }
    }

    /// <summary>Accepts a held reply (the client sees it and the ticket reopens), or keeps it as a staff note the client never sees.</summary>
    public sealed class Held : TicketCommand, ICommand, ITransactional
    {
        public int ReplyId { get; init; }

        public bool Accept { get; init; }
    }

    public const string NoSuchHeldReply = "This reply is no longer waiting: someone accepted or discarded it already.";

    internal sealed class HeldHandler(PortalDbContext db, ActivityWriter activity) : ICommandHandler<Held>
    {
        public async ValueTask<Unit> Handle(Held command, CancellationToken cancellationToken)
        {
            var ticket = await TicketAsync(db, command.TicketId, cancellationToken);
            var reply = await db.TicketReplies.SingleOrDefaultAsync(r => r.Id == command.ReplyId && r.TicketId == ticket.Id && r.IsHeld, cancellationToken)
                ?? throw Refuse.Conflict(NoSuchHeldReply);
            if (command.Accept)
            {
                ticket.Accept(reply);
                activity.Record($"Held reply from {reply.SenderEmail} on ticket {ticket.PublicReference} accepted", ticket.ClientId);
            }
            else
            {
                ticket.KeepAsNote(reply);
                activity.Record($"Held reply from {reply.SenderEmail} on ticket {ticket.PublicReference} kept as a staff note", ticket.ClientId);
            }

            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }

    private static async Task<Ticket> TicketAsync(PortalDbContext db, int ticketId, CancellationToken cancellationToken) =>
        await db.Tickets.SingleOrDefaultAsync(t => t.Id == ticketId, cancellationToken) ?? throw Refuse.NotFound($"Ticket {ticketId}");
}
