using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Settings;
using Portal.Features.Clients;
using Portal.Features.Membership;

namespace Portal.Features.Billing;

/// <summary>
/// A user with the orders permission orders from the catalogue for the active account: choose products and quantities,
/// review the totals the server computed, confirm. The review is stored under its key (<see cref="OrderReview"/>), and
/// confirming is bound to it: lines or prices that differ from those reviewed go back to review, never to the invoice.
/// Confirming creates the order (with that user as its user), its unpaid invoice and its Pending services in one
/// transaction; confirming the same review twice gives one order. A free order's invoice is paid as it is issued and
/// its services start as for any paid invoice.
/// </summary>
public static class PlaceOrder
{
    public sealed record CatalogueQuery : IQuery<IReadOnlyList<CatalogueRow>>;

    public sealed record CatalogueRow(int Id, string Name, string Description, decimal Price, decimal SetupFee, BillingCycle Cycle);

    /// <summary>Prices the chosen lines from the catalogue and keeps that review under a new key, for the confirmation to be bound to.</summary>
    public sealed class Review : ICommand<PricedReview>, IOrderLines
    {
        public List<OrderLine> Lines { get; init; } = [];

        [BindNever]
        public int ClientId { get; init; }

        /// <summary>The user the order would be for; none when an admin reviews it for the account's owner.</summary>
        [BindNever]
        public int? UserId { get; init; }
    }

    public sealed record ReviewLine(int ProductId, string Name, BillingCycle Cycle, int Quantity, decimal UnitPrice, decimal SetupFee, decimal Amount);

    /// <summary>The priced review and the key that binds its confirmation to it and makes it happen once.</summary>
    public sealed record PricedReview(IReadOnlyList<ReviewLine> Lines, decimal Total, string IdempotencyKey);

    public sealed class Command : ICommand<Placed>, IOrderLines
    {
        public List<OrderLine> Lines { get; init; } = [];

        public string? IdempotencyKey { get; init; }

        [BindNever]
        public int ClientId { get; init; }

        /// <summary>The user the order is for; none when an admin creates it, which associates it with the account's owner.</summary>
        [BindNever]
        public int? UserId { get; init; }
    }

    /// <summary>The order placed; or, when the lines or prices confirmed are not those reviewed, a new review of them to confirm again.</summary>
    public sealed record Placed(int? OrderId, PricedReview? ReviewAgain);

    public const string ReviewAgain = "This review has expired. Please review your order again.";

    public sealed class ReviewValidator : AbstractValidator<Review>
    {
        public ReviewValidator() => this.AddOrderLineRules();
    }

    /// <summary>The input's rules; whether each product is on offer is the handler's check, inside its write unit.</summary>
    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            this.AddOrderLineRules();
            RuleFor(x => x.IdempotencyKey)
                .Must(k => k is { Length: >= 20 and <= BillingLengths.IdempotencyKey } && k.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                .WithMessage(ReviewAgain);
        }
    }

    internal sealed class CatalogueHandler(PortalDbContext db) : IQueryHandler<CatalogueQuery, IReadOnlyList<CatalogueRow>>
    {
        public async ValueTask<IReadOnlyList<CatalogueRow>> Handle(CatalogueQuery query, CancellationToken cancellationToken) =>
            await db.Products.AsNoTracking().Where(p => !p.IsHidden).OrderBy(p => p.Name).ThenBy(p => p.Id)
                .Select(p => new CatalogueRow(p.Id, p.Name, p.Description, p.Price, p.SetupFee, p.Cycle))
                .ToListAsync(cancellationToken);
    }

    internal sealed class ReviewHandler(PortalDbContext db, TimeProvider time) : ICommandHandler<Review, PricedReview>
    {
        public async ValueTask<PricedReview> Handle(Review command, CancellationToken cancellationToken)
        {
            if (!await db.Clients.AnyAsync(c => c.Id == command.ClientId, cancellationToken))
            {
                throw Refuse.NotFound("Client account");
            }

            var now = time.GetUtcNow();
            await db.OrderReviews.Where(r => r.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
            var review = Store(db, command.ClientId, command.UserId, await OrderLineRules.PriceAsync(db, command.Lines, cancellationToken), now);
            await db.SaveChangesAsync(cancellationToken);
            return review;
        }
    }

    /// <summary>Adds the review of <paramref name="lines"/> under a new key to the unit of work and answers what it shows.</summary>
    private static PricedReview Store(PortalDbContext db, int clientId, int? userId, IReadOnlyList<(Product Product, int Quantity)> lines, DateTimeOffset now)
    {
        var stored = OrderReview.Of(Tokens.New(), clientId, userId, lines, now);
        db.OrderReviews.Add(stored);
        var shown = lines.Select(l => new ReviewLine(l.Product.Id, l.Product.Name, l.Product.Cycle, l.Quantity, l.Product.Price, l.Product.SetupFee, l.Quantity * l.Product.FirstPayment)).ToList();
        return new PricedReview(shown, stored.Total, stored.Key);
    }

    /// <summary>
    /// A free order starts its services as it is placed: their logins (Data Protection) are prepared before the write unit
    /// opens; the unit then locks the account and places the order.
    /// </summary>
    internal sealed class Handler(
        PortalDbContext db,
        WriteUnit writes,
        SystemSettings settings,
        ActivityWriter activity,
        BillingMailer mails,
        Activation activation,
        Money money,
        TimeProvider time) : ICommandHandler<Command, Placed>
    {
        public async ValueTask<Placed> Handle(Command command, CancellationToken cancellationToken)
        {
            var requireVerification = (await settings.GetAsync(cancellationToken)).IdentityVerificationRequired;
            await activation.PrepareForOrderAsync(command.Lines, cancellationToken);
            return await writes.RunAsync(WriteUnitNames.Of(typeof(Command)), ct => PlaceAsync(command, requireVerification, ct), cancellationToken);
        }

        private async Task<Placed> PlaceAsync(Command command, bool requireVerification, CancellationToken cancellationToken)
        {

            // The command is transactional: its account is locked first, so the second tab confirming the same review
            // waits, then finds the first's order, and orders of other accounts go on beside it.
            if (!await db.LockAsync<Client>(command.ClientId, cancellationToken))
            {
                throw Refuse.NotFound("Client account");
            }

            // Whether each product is still on offer is read here, inside the write unit: a product hidden a moment ago is
            // a field error beside its line, never a missing key.
            var lines = await OrderLineRules.PriceAsync(db, command.Lines, cancellationToken);
            var existing = await db.Orders.Where(o => o.IdempotencyKey == command.IdempotencyKey && o.ClientId == command.ClientId)
                .Select(o => (int?)o.Id).SingleOrDefaultAsync(cancellationToken);
            if (existing is { } alreadyPlaced)
            {
                return new Placed(alreadyPlaced, null);
            }

            var now = time.GetUtcNow();
            var reviewed = await db.OrderReviews.SingleOrDefaultAsync(r => r.Key == command.IdempotencyKey, cancellationToken);
            if (reviewed is null || !reviewed.IsFor(command.ClientId, command.UserId, now) || await db.Orders.AnyAsync(o => o.IdempotencyKey == command.IdempotencyKey, cancellationToken))
            {
                throw Refuse.Because(ReviewAgain);
            }

            // Only what was reviewed is charged: other lines, or prices changed since, go back to review at today's prices.
            if (!reviewed.Matches(lines))
            {
                var again = Store(db, command.ClientId, command.UserId, lines, now);
                await db.SaveChangesAsync(cancellationToken);
                return new Placed(null, again);
            }

            db.OrderReviews.Remove(reviewed);

            var client = await db.Clients.Where(c => c.Id == command.ClientId).Select(c => new { c.Id, c.FirstName, c.LastName, c.CompanyName, c.OwnerUserId })
                .SingleOrDefaultAsync(cancellationToken) ?? throw Refuse.NotFound("Client account");
            var user = await db.Users.SingleOrDefaultAsync(u => u.Id == (command.UserId ?? client.OwnerUserId), cancellationToken)
                ?? throw Refuse.NotFound("User");
            var byAdmin = command.UserId is null ? activity.CurrentActor.AdminId : null;
            var clientName = Client.DisplayNameOf(client.FirstName, client.LastName, client.CompanyName);

            // Invoice numbers have no gaps, across all accounts: the next one is taken under a lock of the numbering rule
            // alone, held from here to the commit, the only point where orders of different accounts meet.
            await db.LockValueAsync(nameof(Invoice.NextNumber), "", cancellationToken);
            var number = Invoice.NextNumber(await db.Invoices.MaxAsync(i => (int?)i.Number, cancellationToken));
            var order = Order.Place(client.Id, user, byAdmin, lines, command.IdempotencyKey!, number, requireVerification, now);
            db.Orders.Add(order);
            await db.SaveChangesAsync(cancellationToken);
            var startedFree = order.Invoice!.Status == InvoiceStatus.Paid ? order.InvoicePaid(now) : [];

            activity.Record(
                (command.UserId is null
                    ? $"Order #{order.Id} created by admin for {clientName} (#{client.Id}), associated with owner {user.FullName} ({user.Email}): "
                    : $"Order #{order.Id} placed by {user.FullName} ({user.Email}) for {clientName} (#{client.Id}): ") +
                $"{string.Join(", ", order.Items.Select(i => $"{i.Quantity} x {i.Name}"))}, invoice #{number} of {money.Format(order.Invoice!.Total)}" +
                (order.Invoice.Status == InvoiceStatus.Paid ? "; nothing to pay, the invoice is paid" : "") +
                (order.WaitsForVerification ? "; waiting for identity verification" : ""),
                client.Id);
            activation.Started(startedFree, client.Id);
            var confirmed = await PermissionHolders.HoldsAsync(db, client.Id, Permission.Orders, user.Id, cancellationToken);
            if (confirmed)
            {
                mails.OrderPlaced(order, user, clientName);
            }

            if (order.WaitsForVerification)
            {
                mails.VerificationRequested(order, user, clientName);
            }

            // The order's confirmation already gives its user the invoice, its due date and how to pay it.
            var recipients = await InvoiceRecipients.ForAsync(db, client.Id, order.UserId, cancellationToken);
            mails.InvoiceCreated(order.Invoice, clientName, recipients.Where(r => !(confirmed && r.UserId == user.Id)));

            await db.SaveChangesAsync(cancellationToken);
            return new Placed(order.Id, null);
        }
    }
}
