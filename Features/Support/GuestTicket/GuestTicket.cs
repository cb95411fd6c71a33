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

/// <summary>
/// Anyone, without a login, opens a ticket in a department clients may choose. The ticket belongs to no account until
/// an admin assigns it; the guest gets a private link (a 256-bit token, stored only as its hash) to that one ticket.
/// The typed address is only a claim: its replies never carry a user's badge, even when it is a member's address.
/// </summary>
public static class GuestTicket
{
    /// <summary>The new ticket's reference and the address its private link went to, for the confirmation.</summary>
    public sealed record Result(string Reference, string Email);

    public sealed class Command : ICommand<Result>, ITransactional
    {
        public string? Name { get; init; }
        public string? Email { get; init; }
        public int DepartmentId { get; init; }
        public string? Subject { get; init; }
        public string? Message { get; init; }
    }

    public const string NoSuchDepartment = "Choose one of the departments.";

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Name).RequiredText("Name", FieldLengths.Name * 2);
            RuleFor(x => x.Email).EmailField();
            RuleFor(x => x.Subject).RequiredText("Subject", SupportLengths.Subject);
            RuleFor(x => x.Message).RequiredMessage("Message", SupportLengths.Message);
        }
    }

    /// <summary>Answers the e-mail address the private link was sent to.</summary>
    internal sealed class Handler(PortalDbContext db, ActivityWriter activity, Outbox outbox, TimeProvider time) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var department = await db.Departments.SingleOrDefaultAsync(d => d.Id == command.DepartmentId && !d.IsHidden, cancellationToken)
                ?? throw Refuse.Because(nameof(Command.DepartmentId), NoSuchDepartment);
            var (name, email) = (command.Name!.Trim(), command.Email!.Trim());
            var ticket = Ticket.Open(null, department, command.Subject!, TicketPriority.Medium, new Sender(email, name, Channel: ReplyChannel.GuestForm, Verified: false), command.Message!.Trim(), time.GetUtcNow());
            var token = Tokens.New();
            ticket.IssueGuestToken(Tokens.Hash(token));
            db.Tickets.Add(ticket);
            activity.ForUser(null, null, $"Guest ticket {ticket.PublicReference} opened by {email} in {department.Name}: {ticket.Subject}");
            outbox.Queue(email, new GuestTicketMail(ticket.PublicReference, ticket.Subject, name, outbox.Link(GuestTicketLink.PathFor(token))));
            await db.SaveChangesAsync(cancellationToken);
            return new Result(ticket.PublicReference, email);
        }
    }
}
