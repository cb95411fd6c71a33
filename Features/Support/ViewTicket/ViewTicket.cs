using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Support;

/// <summary>
/// One of the active account's tickets as its users see it: the thread without staff notes and without mailed replies
/// held for staff, each message signed "You" (only what the viewer wrote signed in, or by authenticated mail),
/// "Support" or the writer's name, with "by e-mail, sender not verified" where the address is only a claim; reply and
/// close. Another account's ticket is not found.
/// </summary>
public static class ViewTicket
{
    public sealed record Query(int ClientId, int TicketId, int ViewerUserId) : IQuery<Thread?>;

    public sealed record Thread(int Id, string Reference, string Subject, string Department, TicketStatus Status, TicketPriority Priority, DateTimeOffset CreatedAt, IReadOnlyList<Message> Messages);

    public sealed record Message(string From, bool IsYou, bool IsSupport, string Text, DateTimeOffset At, string? ProofNote = null);

    internal sealed class QueryHandler(PortalDbContext db) : IQueryHandler<Query, Thread?>
    {
        public async ValueTask<Thread?> Handle(Query query, CancellationToken cancellationToken)
        {
            var ticket = await db.Tickets.AsNoTracking().Include(t => t.Department)
                .SingleOrDefaultAsync(t => t.Id == query.TicketId && t.ClientId == query.ClientId, cancellationToken);
            if (ticket is null)
            {
                return null;
            }

            var replies = await db.TicketReplies.AsNoTracking().Where(r => r.TicketId == ticket.Id && !r.IsInternalNote && !r.IsHeld)
                .OrderBy(r => r.At).ThenBy(r => r.Id).ToListAsync(cancellationToken);
            return new Thread(ticket.Id, ticket.PublicReference, ticket.Subject, ticket.Department.Name, ticket.Status, ticket.Priority, ticket.CreatedAt,
                replies.Select(r =>
                {
                    var proof = TicketReply.ProofNote(r.Channel, r.SenderVerified);
                    var isYou = r.UserId == query.ViewerUserId && proof is null;
                    var from = r.AdminId is not null ? "Support" : isYou ? "You" : r.SenderName.Length > 0 ? r.SenderName : r.SenderEmail;
                    return new Message(from, isYou, r.AdminId is not null, r.Message, r.At, proof);
                }).ToList());
        }
    }

    public sealed class Reply : ICommand
    {
        [Microsoft.AspNetCore.Mvc.ModelBinding.BindNever]
        public int TicketId { get; set; }

        public string? Message { get; init; }
    }

    public sealed class ReplyValidator : AbstractValidator<Reply>
    {
        public ReplyValidator() => RuleFor(x => x.Message).RequiredMessage("Message", SupportLengths.Message);
    }

    internal sealed class ReplyHandler(PortalDbContext db, AccountContext account, ActivityWriter activity, TimeProvider time) : ICommandHandler<Reply>
    {
        public async ValueTask<Unit> Handle(Reply command, CancellationToken cancellationToken)
        {
            var ticket = await AccountTicketAsync(db, account, command.TicketId, cancellationToken);
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == account.UserId, cancellationToken);
            ticket.Reply(new Sender(user.Email!, user.FullName, UserId: user.Id), command.Message!.Trim(), time.GetUtcNow());
            activity.Record($"Reply added to ticket {ticket.PublicReference}", ticket.ClientId);
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }

    public sealed record Close(int TicketId) : ICommand;

    internal sealed class CloseHandler(PortalDbContext db, AccountContext account, ActivityWriter activity) : ICommandHandler<Close>
    {
        public async ValueTask<Unit> Handle(Close command, CancellationToken cancellationToken)
        {
            var ticket = await AccountTicketAsync(db, account, command.TicketId, cancellationToken);
            if (ticket.Status != TicketStatus.Closed)
            {
                ticket.Close();
                activity.Record($"Ticket {ticket.PublicReference} closed", ticket.ClientId);
                await db.SaveChangesAsync(cancellationToken);
            }

            return Unit.Value;
        }
    }

    private static async Task<Ticket> AccountTicketAsync(PortalDbContext db, AccountContext account, int ticketId, CancellationToken cancellationToken)
    {
        var clientId = account.RequireAccount().ClientId;
        return await db.Tickets.SingleOrDefaultAsync(t => t.Id == ticketId && t.ClientId == clientId, cancellationToken)
            ?? throw Refuse.NotFound($"Ticket {ticketId}");
    }
}
