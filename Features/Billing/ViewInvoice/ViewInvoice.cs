using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Features.Settings;
using Portal.Features.Clients;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Email;

namespace Portal.Features.Billing;

/// <summary>One invoice as a document: who it is for, its lines, totals, payments, and how to pay it by bank transfer.</summary>
public static class ViewInvoice
{
    /// <summary>The invoice <paramref name="InvoiceId"/> of account <paramref name="ClientId"/>; any account when it is null (admins).</summary>
    public sealed record Query(int? ClientId, int InvoiceId) : IQuery<Details?>;

    public sealed record Line(string Description, int Quantity, decimal UnitPrice, decimal Amount);

    public sealed record PaymentRow(int Id, DateTimeOffset Date, decimal Amount, string Method, string Reference);

    public sealed record RefundRow(DateTimeOffset At, decimal Amount, string Reason);

    public sealed record Details(
        int Id,
        int Number,
        int ClientId,
        string ClientName,
        string ClientAddress,
        int? OrderId,
        DateTimeOffset IssuedAt,
        DateTimeOffset DueAt,
        InvoiceStatus Status,
        decimal Total,
        decimal AmountPaid,
        IReadOnlyList<Line> Lines,
        IReadOnlyList<PaymentRow> Payments,
        string BankTransferInstructions,
        decimal AmountRefunded = 0,
        IReadOnlyList<RefundRow>? Refunds = null,
        Seller? Seller = null,
        IReadOnlyList<string>? ClientAddressLines = null)
    {
        /// <summary>The stamp: Paid, Unpaid, Partially paid, Cancelled or Refunded.</summary>
        public string StatusLabel => Invoice.StatusLabel(Status, AmountPaid);

        public decimal Balance => Total - AmountPaid;

        /// <summary>What the client still owes: nothing once the invoice is paid, cancelled or refunded.</summary>
        public decimal Due => Invoice.TakesPayments(Status) ? Balance : 0;

        public decimal Refundable => AmountPaid - AmountRefunded;

        /// <summary>What the client writes on the bank transfer so the payment finds this invoice.</summary>
        public string PaymentReference => $"INV-{Number}";
    }

    internal sealed class Handler(PortalDbContext db, SystemSettings settings, IOptions<PortalOptions> portal) : IQueryHandler<Query, Details?>
    {
        public async ValueTask<Details?> Handle(Query query, CancellationToken cancellationToken)
        {
            var invoice = await db.Invoices.AsNoTracking()
                .Where(i => i.Id == query.InvoiceId && (query.ClientId == null || i.ClientId == query.ClientId))
                .Select(i => new
                {
                    i.Id, i.Number, i.ClientId, i.OrderId, i.IssuedAt, i.DueAt, i.Status, i.Total, i.AmountPaid, i.AmountRefunded,
                    Lines = i.Lines.OrderBy(l => l.Id).Select(l => new Line(l.Description, l.Quantity, l.UnitPrice, l.Amount)).ToList(),
                    Payments = i.Payments.OrderBy(p => p.Id).Select(p => new PaymentRow(p.Id, p.Date, p.Amount, p.Method, p.Reference)).ToList(),
                    Refunds = i.Refunds.OrderBy(r => r.Id).Select(r => new RefundRow(r.RefundedAt, r.Amount, r.Reason)).ToList(),
                })
                .SingleOrDefaultAsync(cancellationToken);
            if (invoice is null)
            {
                return null;
            }

            var client = await db.Clients.AsNoTracking().Where(c => c.Id == invoice.ClientId)
                .Select(c => new { c.FirstName, c.LastName, c.CompanyName, c.Address1, c.City, c.State, c.Postcode, c.Country })
                .SingleAsync(cancellationToken);
            var address = string.Join(", ", new[] { client.Address1, client.City, client.State, client.Postcode, client.Country }.Where(p => !string.IsNullOrWhiteSpace(p)));
            var addressLines = new[] { client.Address1, string.Join(" ", new[] { client.City, client.State, client.Postcode }.Where(p => !string.IsNullOrWhiteSpace(p))), client.Country }
                .Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
            var current = await settings.GetAsync(cancellationToken);
            var instructions = current.BankTransferInstructions;
            return new Details(
                invoice.Id, invoice.Number, invoice.ClientId, Client.DisplayNameOf(client.FirstName, client.LastName, client.CompanyName), address, invoice.OrderId,
                invoice.IssuedAt, invoice.DueAt, invoice.Status, invoice.Total, invoice.AmountPaid, invoice.Lines, invoice.Payments, instructions,
                invoice.AmountRefunded, invoice.Refunds, Seller.From(current, portal.Value), addressLines);
        }
    }
}
