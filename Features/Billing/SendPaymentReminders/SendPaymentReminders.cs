using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Clients;
using Portal.Features.Settings;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Billing;

/// <summary>
/// The daily job that asks for unpaid invoices to be paid: a payment reminder when an invoice falls due within the
/// days set in Settings, and an overdue notice once it is that many days past its due date; each at most once per
/// invoice, to the invoice's recipients (<see cref="InvoiceRecipients"/>), and logged in the account's activity log.
/// Paid, cancelled and refunded invoices get neither.
/// </summary>
public static class SendPaymentReminders
{
    public const string RecurringJobId = "send-payment-reminders";
    public const int BatchSize = 100;

    /// <summary>Daily, through <see cref="Infrastructure.Jobs.JobsSetup.AddRecurringJob"/>, in the morning (UTC) so a reminder reads as news of the day.</summary>
    public static void Schedule(IRecurringJobManager jobs, IConfiguration configuration) =>
        jobs.AddOrUpdate<Job>(RecurringJobId, j => j.RunAsync(CancellationToken.None), Cron.Daily(7));

    public enum Notice
    {
        Reminder,
        Overdue,
    }

    public sealed record Outcome(int Reminders, int OverdueNotices);

    /// <summary>
    /// Sends one invoice its <paramref name="Notice"/> if it still qualifies: unpaid, not sent that notice yet, and due no
    /// later than <paramref name="DueBy"/> (and, for a reminder, not due yet). The marker is set by a conditional update in
    /// the same transaction as the mail and the log entry, so a second run or a second instance finds it set and sends nothing.
    /// </summary>
    public sealed record Send(int InvoiceId, Notice Notice, DateTimeOffset DueBy) : ICommand<bool>, ITransactional;

    internal sealed class SendHandler(PortalDbContext db, BillingMailer mails, ActivityWriter activity, Money money, TimeProvider time) : ICommandHandler<Send, bool>
    {
        public async ValueTask<bool> Handle(Send command, CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            var unpaid = db.Invoices.Where(i => i.Id == command.InvoiceId && i.Status == InvoiceStatus.Unpaid && i.DueAt <= command.DueBy);
            var claimed = command.Notice == Notice.Reminder
                ? await unpaid.Where(i => i.ReminderSentAt == null && i.DueAt > now).ExecuteUpdateAsync(s => s.SetProperty(i => i.ReminderSentAt, now), cancellationToken)
                : await unpaid.Where(i => i.OverdueNoticeSentAt == null).ExecuteUpdateAsync(s => s.SetProperty(i => i.OverdueNoticeSentAt, now), cancellationToken);
            if (claimed == 0)
            {
                return false;
            }

            var row = await db.Invoices.AsNoTracking().Where(i => i.Id == command.InvoiceId)
                .Select(i => new { i.Id, i.Number, i.ClientId, i.Total, i.AmountPaid, i.DueAt, OrderUserId = i.Order == null ? (int?)null : i.Order.UserId })
                .SingleAsync(cancellationToken);
            var client = await db.Clients.AsNoTracking().Where(c => c.Id == row.ClientId).Select(c => new { c.FirstName, c.LastName, c.CompanyName })
                .SingleAsync(cancellationToken);
            var clientName = Client.DisplayNameOf(client.FirstName, client.LastName, client.CompanyName);
            var due = new BillingMailer.InvoiceDue(row.Id, row.Number, row.ClientId, clientName, row.Total - row.AmountPaid, row.DueAt);
            var recipients = await InvoiceRecipients.ForAsync(db, row.ClientId, row.OrderUserId, cancellationToken);
            if (command.Notice == Notice.Reminder)
            {
                mails.PaymentReminder(due, recipients);
            }
            else
            {
                mails.OverdueNotice(due, recipients);
            }

            var what = command.Notice == Notice.Reminder ? "Payment reminder" : "Overdue notice";
            var to = recipients.Count == 0 ? "nobody receives invoices" : "sent to " + string.Join(", ", recipients.Select(r => r.Email));
            activity.System($"{what} for invoice #{row.Number} ({money.Format(due.Balance)} due) of {clientName} (#{row.ClientId}): {to}", row.ClientId);
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
    }

    /// <summary>
    /// Walks the invoices that qualify in batches of ids, each invoice in its own transaction, forgetting tracked entities
    /// after each, so memory and lock time stay flat however many invoices there are. One invoice that fails is logged and
    /// left for the next run; its marker was rolled back with it.
    /// </summary>
    public sealed class Job(ISender sender, PortalDbContext db, SystemSettings settings, TimeProvider time, ILogger<Job> logger)
    {
        [AutomaticRetry(Attempts = 3)]
        [DisableConcurrentExecution(3600)]
        public async Task<Outcome> RunAsync(CancellationToken cancellationToken)
        {
            var setting = await settings.GetAsync(cancellationToken);
            var now = time.GetUtcNow();
            var reminders = 0;
            var notices = 0;
            if (setting.PaymentReminderDaysBefore is { } before)
            {
                var dueBy = now + TimeSpan.FromDays(before);
                reminders = await InBatchesAsync(
                    after => db.Invoices.Where(i => i.Id > after && i.Status == InvoiceStatus.Unpaid && i.ReminderSentAt == null && i.DueAt > now && i.DueAt <= dueBy),
                    id => new Send(id, Notice.Reminder, dueBy),
                    cancellationToken);
            }

            if (setting.OverdueNoticeDaysAfter is { } after)
            {
                var dueBy = now - TimeSpan.FromDays(after);
                notices = await InBatchesAsync(
                    afterId => db.Invoices.Where(i => i.Id > afterId && i.Status == InvoiceStatus.Unpaid && i.OverdueNoticeSentAt == null && i.DueAt <= dueBy),
                    id => new Send(id, Notice.Overdue, dueBy),
                    cancellationToken);
            }

            return new Outcome(reminders, notices);
        }

        private async Task<int> InBatchesAsync(Func<int, IQueryable<Invoice>> qualifyingAfter, Func<int, Send> send, CancellationToken cancellationToken)
        {
            var sent = 0;
            var after = 0;
            while (true)
            {
                var batch = await qualifyingAfter(after).OrderBy(i => i.Id).Select(i => i.Id).Take(BatchSize).ToListAsync(cancellationToken);
                if (batch.Count == 0)
                {
                    return sent;
                }

                foreach (var id in batch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    try
                    {
                        sent += await sender.Send(send(id), cancellationToken) ? 1 : 0;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        logger.LogError(e, "Could not send the payment mail for invoice {InvoiceId}", id);
                    }

                    db.ChangeTracker.Clear();
                }

                after = batch[^1];
            }
        }
    }
}
