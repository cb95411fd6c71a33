using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Billing;
using Portal.Features.Membership;
using Portal.Features.Settings;
using Portal.Features.Support;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Billing;

/// <summary>The invoice-created mail, and the daily job's payment reminders and overdue notices, with who receives them.</summary>
[Collection(BillingCollection.Name)]
public sealed class BillingMailTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    private const string Created = "InvoiceCreated";
    private const string Reminder = "PaymentReminder";
    private const string Overdue = "OverdueNotice";

    private sealed record Sent(string To, string Kind, string Subject, string Text, int? UserId);

    private Task<List<Sent>> MailsAsync(int clientId, string kind) =>
        portal.WithDbAsync(db => db.EmailMessages.AsNoTracking().Where(m => m.ClientId == clientId && m.Kind == kind)
            .Select(m => new Sent(m.To, m.Kind, m.Subject, m.TextBody, m.UserId)).ToListAsync());

    private Task<Contact> ContactAsync(int clientId, string email, bool invoices, bool confirmed) =>
        portal.WithDbAsync(async db =>
        {
            var contact = Contact.Add(clientId, new ContactDetails("Ivy Invoices", email, null, "Accounts", invoices, false));
            if (confirmed)
            {
                contact.Confirm(portal.Factory.Time.GetUtcNow());
            }

            db.Contacts.Add(contact);
            await db.SaveChangesAsync();
            return contact;
        });

    private Task<Invoice> InvoiceAsync(int orderId) => portal.WithDbAsync(db => db.Invoices.AsNoTracking().SingleAsync(i => i.OrderId == orderId));

    private async Task<SendPaymentReminders.Outcome> RunJobAsync()
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SendPaymentReminders.Job>().RunAsync(CancellationToken.None);
    }

    private Task SetDaysAsync(int? reminderDaysBefore, int? overdueDaysAfter) => portal.WithDbAsync(async db =>
    {
        var settings = new SystemSettings(db);
        await settings.SetAsync(SystemSettings.PaymentReminderDaysKey, reminderDaysBefore?.ToString() ?? "");
        await settings.SetAsync(SystemSettings.OverdueNoticeDaysKey, overdueDaysAfter?.ToString() ?? "");
        await db.SaveChangesAsync();
    });

    private Task<SettingsSnapshot> SettingsAsync() => portal.WithDbAsync(db => new SystemSettings(db).GetAsync());

    [Fact]
    public async Task An_issued_invoice_is_mailed_to_the_owner_and_the_confirmed_contacts_ticked_for_invoices_and_to_nobody_else()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Invoice Mail Co");
        var member = await portal.CreateUserAsync(PortalFixture.UniqueEmail("invoice-orderer"));
        await portal.AssociateAsync(client.Id, member.Id, Permission.Orders);
        var bystander = await portal.CreateUserAsync(PortalFixture.UniqueEmail("invoice-bystander"));
        await portal.AssociateAsync(client.Id, bystander.Id, Permission.Invoices);
        var ticked = await ContactAsync(client.Id, PortalFixture.UniqueEmail("ticked"), invoices: true, confirmed: true);
        var unconfirmed = await ContactAsync(client.Id, PortalFixture.UniqueEmail("unconfirmed"), invoices: true, confirmed: false);
        var unticked = await ContactAsync(client.Id, PortalFixture.UniqueEmail("unticked"), invoices: false, confirmed: true);
        var (_, other) = await portal.CreateOwnerAsync("Other Invoice Co");
        var elsewhere = await ContactAsync(other.Id, PortalFixture.UniqueEmail("elsewhere"), invoices: true, confirmed: true);
        var product = await slice.ProductAsync(price: 40m, setupFee: 2m);

        var orderId = await portal.PlaceOrderAsync(client.Id, member.Id, (product, 1));

        var invoice = await InvoiceAsync(orderId);
        var mails = await MailsAsync(client.Id, Created);
        Assert.Equal(new[] { owner.Email!, ticked.Email }.Order(), mails.Select(m => m.To).Order());
        Assert.Empty(await MailsAsync(other.Id, Created));
        Assert.DoesNotContain(mails, m => m.To == member.Email || m.To == bystander.Email || m.To == unconfirmed.Email || m.To == unticked.Email || m.To == elsewhere.Email);

        var toOwner = mails.Single(m => m.To == owner.Email);
        Assert.Equal($"Invoice #{invoice.Number} for {client.DisplayName}", toOwner.Subject);
        Assert.Contains("42.00 USD", toOwner.Text);
        Assert.Contains($"INV-{invoice.Number}", toOwner.Text);
        Assert.Contains($"/invoices/{invoice.Id}", toOwner.Text);
        var toContact = mails.Single(m => m.To == ticked.Email);
        Assert.Null(toContact.UserId);
        Assert.Contains($"INV-{invoice.Number}", toContact.Text);
        Assert.DoesNotContain($"/invoices/{invoice.Id}", toContact.Text);
    }

    [Fact]
    public async Task The_user_who_placed_the_order_is_not_sent_the_invoice_twice_and_an_admin_order_reaches_the_contacts()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Admin Invoice Co");
        var ticked = await ContactAsync(client.Id, PortalFixture.UniqueEmail("admin-ticked"), invoices: true, confirmed: true);
        var product = await slice.ProductAsync(price: 10m, setupFee: 0m);

        await portal.PlaceOrderAsync(client.Id, null, (product, 1));

        Assert.Equal([ticked.Email], (await MailsAsync(client.Id, Created)).Select(m => m.To));
        Assert.Single(await MailsAsync(client.Id, "OrderPlaced"), m => m.To == owner.Email);
    }

    [Fact]
    public async Task A_free_order_sends_no_invoice_mail()
    {
        var (_, client) = await portal.CreateOwnerAsync("Free Invoice Co");
        await ContactAsync(client.Id, PortalFixture.UniqueEmail("free-ticked"), invoices: true, confirmed: true);
        var product = await slice.ProductAsync(price: 0m, setupFee: 0m);

        var orderId = await portal.PlaceOrderAsync(client.Id, null, (product, 1));

        Assert.Equal(InvoiceStatus.Paid, (await InvoiceAsync(orderId)).Status);
        Assert.Empty(await MailsAsync(client.Id, Created));
    }

    [Fact]
    public async Task An_unpaid_invoice_gets_one_reminder_in_its_window_and_one_overdue_notice_after_its_due_date_each_logged()
    {
        var saved = await SettingsAsync();
        await SetDaysAsync(3, 1);
        try
        {
            var (owner, client) = await portal.CreateOwnerAsync("Reminded Co");
            var ticked = await ContactAsync(client.Id, PortalFixture.UniqueEmail("reminded-contact"), invoices: true, confirmed: true);
            var product = await slice.ProductAsync(price: 30m, setupFee: 0m);
            var orderId = await portal.PlaceOrderAsync(client.Id, null, (product, 1));
            var invoice = await InvoiceAsync(orderId);

            await RunJobAsync();
            portal.Factory.Time.SetUtcNow(invoice.DueAt - TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1));
            await RunJobAsync();
            Assert.Empty(await MailsAsync(client.Id, Reminder));

            portal.Factory.Time.SetUtcNow(invoice.DueAt - TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
            await RunJobAsync();
            var reminders = await MailsAsync(client.Id, Reminder);
            Assert.Equal(new[] { owner.Email!, ticked.Email }.Order(), reminders.Select(m => m.To).Order());
            Assert.All(reminders, m => Assert.Contains($"INV-{invoice.Number}", m.Text));
            Assert.Contains("30.00 USD", reminders[0].Text);

            await RunJobAsync();
            Assert.Equal(2, (await MailsAsync(client.Id, Reminder)).Count);

            portal.Factory.Time.SetUtcNow(invoice.DueAt + TimeSpan.FromHours(23));
            await RunJobAsync();
            Assert.Empty(await MailsAsync(client.Id, Overdue));

            portal.Factory.Time.SetUtcNow(invoice.DueAt + TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
            await RunJobAsync();
            await RunJobAsync();
            var notices = await MailsAsync(client.Id, Overdue);
            Assert.Equal(new[] { owner.Email!, ticked.Email }.Order(), notices.Select(m => m.To).Order());
            Assert.All(notices, m => Assert.Equal($"Invoice #{invoice.Number} is overdue", m.Subject));
            Assert.Equal(2, (await MailsAsync(client.Id, Reminder)).Count);

            var entries = await portal.WithDbAsync(db => db.ActivityLog.AsNoTracking().Where(e => e.ClientId == client.Id).ToListAsync());
            var log = entries.Where(e => e.IsSystem).Select(e => e.Description).ToList();
            Assert.Single(log, d => d.StartsWith($"Payment reminder for invoice #{invoice.Number} (30.00 USD due) of {client.DisplayName} (#{client.Id}): sent to ") && d.Contains(owner.Email!) && d.Contains(ticked.Email));
            Assert.Single(log, d => d.StartsWith($"Overdue notice for invoice #{invoice.Number} (30.00 USD due) of {client.DisplayName} (#{client.Id}): sent to "));
            var stored = await InvoiceAsync(orderId);
            Assert.NotNull(stored.ReminderSentAt);
            Assert.NotNull(stored.OverdueNoticeSentAt);
        }
        finally
        {
            await SetDaysAsync(saved.PaymentReminderDaysBefore, saved.OverdueNoticeDaysAfter);
        }
    }

    [Fact]
    public async Task A_paid_or_cancelled_invoice_gets_no_reminder_and_no_overdue_notice()
    {
        var saved = await SettingsAsync();
        await SetDaysAsync(3, 1);
        try
        {
            var (_, paidClient) = await portal.CreateOwnerAsync("Paid Up Co");
            var (_, cancelledClient) = await portal.CreateOwnerAsync("Cancelled Co");
            var product = await slice.ProductAsync(price: 15m, setupFee: 0m);
            var paid = await InvoiceAsync(await portal.PlaceOrderAsync(paidClient.Id, null, (product, 1)));
            var cancelledOrderId = await portal.PlaceOrderAsync(cancelledClient.Id, null, (product, 1));
            await portal.WithDbAsync(async db =>
            {
                var invoice = await db.Invoices.SingleAsync(i => i.Id == paid.Id);
                invoice.RecordPayment(15m, portal.Factory.Time.GetUtcNow(), "Bank transfer", "", null, portal.Factory.Time.GetUtcNow());
                var order = await db.Orders.Include(o => o.Invoice).Include(o => o.Services).SingleAsync(o => o.Id == cancelledOrderId);
                order.Invoice!.Cancel();
                await db.SaveChangesAsync();
            });

            portal.Factory.Time.SetUtcNow(paid.DueAt - TimeSpan.FromDays(1));
            await RunJobAsync();
            portal.Factory.Time.SetUtcNow(paid.DueAt + TimeSpan.FromDays(2));
            await RunJobAsync();

            foreach (var clientId in new[] { paidClient.Id, cancelledClient.Id })
            {
                Assert.Empty(await MailsAsync(clientId, Reminder));
                Assert.Empty(await MailsAsync(clientId, Overdue));
            }
        }
        finally
        {
            await SetDaysAsync(saved.PaymentReminderDaysBefore, saved.OverdueNoticeDaysAfter);
        }
    }

    [Fact]
    public async Task With_both_settings_off_the_job_sends_nothing()
    {
        var saved = await SettingsAsync();
        await SetDaysAsync(null, null);
        try
        {
            var (_, client) = await portal.CreateOwnerAsync("Unreminded Co");
            var product = await slice.ProductAsync(price: 15m, setupFee: 0m);
            var invoice = await InvoiceAsync(await portal.PlaceOrderAsync(client.Id, null, (product, 1)));

            portal.Factory.Time.SetUtcNow(invoice.DueAt - TimeSpan.FromHours(12));
            await RunJobAsync();
            portal.Factory.Time.SetUtcNow(invoice.DueAt + TimeSpan.FromDays(30));
            await RunJobAsync();

            Assert.Empty(await MailsAsync(client.Id, Reminder));
            Assert.Empty(await MailsAsync(client.Id, Overdue));
            var stored = await InvoiceAsync(invoice.OrderId!.Value);
            Assert.Null(stored.ReminderSentAt);
            Assert.Null(stored.OverdueNoticeSentAt);
        }
        finally
        {
            await SetDaysAsync(saved.PaymentReminderDaysBefore, saved.OverdueNoticeDaysAfter);
        }
    }

    [Fact]
    public async Task Two_sends_of_the_same_reminder_mail_it_once()
    {
        var saved = await SettingsAsync();
        await SetDaysAsync(3, 1);
        try
        {
            var (owner, client) = await portal.CreateOwnerAsync("Raced Co");
            var product = await slice.ProductAsync(price: 15m, setupFee: 0m);
            var invoice = await InvoiceAsync(await portal.PlaceOrderAsync(client.Id, null, (product, 1)));
            portal.Factory.Time.SetUtcNow(invoice.DueAt - TimeSpan.FromDays(2));
            var dueBy = portal.Factory.Time.GetUtcNow() + TimeSpan.FromDays(3);

            var sent = await Task.WhenAll(
                portal.SendAsync(new SendPaymentReminders.Send(invoice.Id, SendPaymentReminders.Notice.Reminder, dueBy)),
                portal.SendAsync(new SendPaymentReminders.Send(invoice.Id, SendPaymentReminders.Notice.Reminder, dueBy)));

            Assert.Single(sent, s => s);
            Assert.Single(await MailsAsync(client.Id, Reminder), m => m.To == owner.Email);
        }
        finally
        {
            await SetDaysAsync(saved.PaymentReminderDaysBefore, saved.OverdueNoticeDaysAfter);
        }
    }

    [Fact]
    public async Task The_job_is_registered_to_run_daily()
    {
        using var connection = portal.Jobs.GetConnection();

        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == SendPaymentReminders.RecurringJobId);

        Assert.Equal(Cron.Daily(7), job.Cron);
        Assert.Equal(typeof(SendPaymentReminders.Job), job.Job.Type);
    }
}
