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
/// A guest's private link: the one ticket whose stored hash matches the token, without staff notes, and a reply form.
/// Any other token is not found. Replies are written as the ticket's requester.
/// </summary>
public static class GuestThread
{
    public sealed record Query(string? Token) : IQuery<Thread?>;

    public sealed record Thread(string Reference, string Subject, string Department, TicketStatus Status, IReadOnlyList<Message> Messages);

    public sealed record Message(string From, bool IsYou, bool IsSupport, string Text, DateTimeOffset At);

    internal sealed class QueryHandler(PortalDbContext db) : IQueryHandler<Query, Thread?>
    {
        public async ValueTask<Thread?> Handle(Query query, CancellationToken cancellationToken)
        {
            if (await TicketOfAsync(db.Tickets.AsNoTracking().Include(t => t.Department), query.Token, cancellationToken) is not { } ticket)
            {
                return null;
            }

            var requester = EmailAddress.Normalize(ticket.RequesterEmail);
            var replies = await db.TicketReplies.AsNoTracking().Where(r => r.TicketId == ticket.Id && !r.IsInternalNote && !r.IsHeld)
                .OrderBy(r => r.At).ThenBy(r => r.Id).ToListAsync(cancellationToken);
            return new Thread(ticket.PublicReference, ticket.Subject, ticket.Department.Name, ticket.Status,
                replies.Select(r =>
                {
                    var isSupport = r.AdminId is not null;
                    var isYou = !isSupport && r.NormalizedSenderEmail == requester;
                    // Never another writer's address: the link is a bearer secret, and its holder sees names only.
                    var from = isSupport ? "Support" : isYou ? "You" : r.SenderName.Length > 0 ? r.SenderName : "Another sender";
                    return new Message(from, isYou, isSupport, r.Message, r.At);
                }).ToList());
        }
    }

    public sealed class Reply : ICommand
    {
        [Microsoft.AspNetCore.Mvc.ModelBinding.BindNever]
        public string? Token { get; set; }

        public string? Message { get; init; }
    }

    public sealed class ReplyValidator : AbstractValidator<Reply>
    {
        public ReplyValidator() => RuleFor(x => x.Message).RequiredMessage("Message", SupportLengths.Message);
    }

    internal sealed class ReplyHandler(PortalDbContext db, ActivityWriter activity, TimeProvider time) : ICommandHandler<Reply>
    {
        public async ValueTask<Unit> Handle(Reply command, CancellationToken cancellationToken)
        {
            var ticket = await TicketOfAsync(db.Tickets, command.Token, cancellationToken) ?? throw Refuse.NotFound("Guest ticket");
            ticket.Reply(new Sender(ticket.RequesterEmail, ticket.RequesterName, Channel: ReplyChannel.GuestForm, Verified: false), command.Message!.Trim(), time.GetUtcNow());
            activity.ForUser(null, ticket.ClientId, $"Guest reply from {ticket.RequesterEmail} added to ticket {ticket.PublicReference}");
            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }
    }

    private static Task<Ticket?> TicketOfAsync(IQueryable<Ticket> tickets, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return Task.FromResult<Ticket?>(null);
        }

        var hash = Tokens.Hash(token);
        return tickets.SingleOrDefaultAsync(t => t.GuestTokenHash == hash, cancellationToken);
    }
}
