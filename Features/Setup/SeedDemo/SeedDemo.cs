using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Infrastructure.Pipeline;
using Portal.Features.Identity;
using Portal.Features.Clients;
using Portal.Features.Activity;
using Portal.Features.Support;
using Portal.Features.Billing;
using Portal.Features.Membership;

namespace Portal.Features.Setup;

/// <summary>
/// Fills an empty database with a story that shows every feature: a web designer who owns two client accounts and
/// holds chosen permissions on a third, that account's owner and a colleague with one permission, pending and expired
/// invitations, a closed account, weeks of activity, billing and support tickets with the provider's invoice details and
/// bank instructions and the mail those events sent, and an admin. Returns the logins to print.
/// </summary>
public static class SeedDemo
{
    public sealed record Command : ICommand<IReadOnlyList<string>>;

    /// <summary>How much the database already holds: seed-demo fills an empty one only, and says so before it writes anything.</summary>
    public sealed record Contents : IQuery<Counts>;

    public sealed record Counts(int Users, int Clients, int Admins)
    {
        public bool IsEmpty => Users == 0 && Clients == 0 && Admins == 0;
    }

    internal sealed class ContentsHandler(PortalDbContext db) : IQueryHandler<Contents, Counts>
    {
        public async ValueTask<Counts> Handle(Contents query, CancellationToken cancellationToken) =>
            new(await db.Users.CountAsync(cancellationToken), await db.Clients.CountAsync(cancellationToken), await db.Admins.CountAsync(cancellationToken));
    }

    public const string Password = "correct horse battery staple";

    /// <summary>
    /// The demo password's hashes and the demo services' logins are made first; then the whole story is written in one
    /// write unit, a maintenance unit (an operator's one-off run on an empty database, not a request), all or nothing.
    /// </summary>
    internal sealed class Handler(
        PortalDbContext db, WriteUnit writes, UserManager<User> users, PasswordHashing passwords, ActivityWriter activity, Billing.ServiceLogins logins,
        Settings.SystemSettings settings, BillingMailer billingMail, Infrastructure.Email.Outbox outbox, TimeProvider time)
        : ICommandHandler<Command, IReadOnlyList<string>>
    {
        private string _userHash = "";
        private string _adminHash = "";

        public async ValueTask<IReadOnlyList<string>> Handle(Command command, CancellationToken cancellationToken)
        {
            _userHash = await passwords.HashAsync(Password, cancellationToken);
            _adminHash = await passwords.HashAdminAsync(Password, cancellationToken);
            logins.Prepare(DemoServices);
            return await writes.RunAsync(WriteUnitNames.Of(typeof(Command)), SeedAsync, cancellationToken, WriteUnitKind.Maintenance);
        }

        /// <summary>The services of the paid demo order, which start with a login each.</summary>
        private const int DemoServices = 2;

        private async Task<IReadOnlyList<string>> SeedAsync(CancellationToken cancellationToken)
        {
            if (await db.Users.AnyAsync(cancellationToken) || await db.Clients.AnyAsync(cancellationToken) || await db.Admins.AnyAsync(cancellationToken))
            {
                throw Refuse.Because("The database already has data; seed-demo only fills an empty one.");
            }

            var now = time.GetUtcNow();
            var designer = await CreateUserAsync("dana@designer.example", "Dana", "Designer", now);
            var bakeryOwner = await CreateUserAsync("ben@bakery.example", "Ben", "Baker", now);

            var danaDesigns = Client.Open(Profile("Dana", "Designer", "Dana Designs", "dana@designer.example"), designer, now);
            db.Clients.Add(danaDesigns);
            db.Clients.Add(Client.Open(Profile("Dana", "Designer", "Portfolio Sites", "sites@designer.example"), designer, now));
            var bakery = Client.Open(Profile("Ben", "Baker", "Bakery Ltd", "ben@bakery.example"), bakeryOwner, now);
            db.Clients.Add(bakery);
            await db.SaveChangesAsync(cancellationToken);

            db.ClientUsers.Add(ClientUser.Associate(bakery, designer, PermissionSet.Of([Permission.Products, Permission.Tickets, Permission.Domains])));
            var admin = new Administrator
            {
                Email = "admin@portal.example",
                NormalizedEmail = "ADMIN@PORTAL.EXAMPLE",
                FirstName = "Ada",
                LastName = "Admin",
                CreatedAt = now,
            };
            admin.PasswordHash = _adminHash;
            db.Admins.Add(admin);
            await db.SaveChangesAsync(cancellationToken);
            SeedSupport(bakery, db.Clients.Local.Single(c => c.CompanyName == "Portfolio Sites"), bakeryOwner, designer, admin, now);
            var bookkeeper = await CreateUserAsync("lee@bakery.example", "Lee", "Ledger", now.AddDays(-30));
            await SeedTeamAsync(danaDesigns, designer, bakery, bakeryOwner, bookkeeper, now, cancellationToken);
            SeedActivity(danaDesigns, designer, bakery, bakeryOwner, bookkeeper, admin, now);
            activity.System("Demo data created");
            await db.SaveChangesAsync(cancellationToken);
            await SeedProviderAsync(cancellationToken);
            await SeedBillingAsync(danaDesigns, designer, bakery, bakeryOwner, admin, now, cancellationToken);

            return
            [
                $"client  dana@designer.example / {Password}  (owns Dana Designs, with an expired invitation, and Portfolio Sites; products, tickets and domains at Bakery Ltd)",
                $"client  ben@bakery.example / {Password}  (owns Bakery Ltd: an unpaid invoice, a pending invitation, open tickets; and a closed pop-up stall account)",
                $"client  lee@bakery.example / {Password}  (may only view and pay invoices at Bakery Ltd)",
                $"admin   admin@portal.example / {Password}  (at /admin/login)",
            ];
        }

        /// <summary>
        /// A colleague with one permission, an invitation still waiting for an answer, one that expired unanswered, and
        /// an account the provider closed.
        /// </summary>
        private async Task SeedTeamAsync(Client danaDesigns, User dana, Client bakery, User ben, User lee, DateTimeOffset now, CancellationToken cancellationToken)
        {
            db.ClientUsers.Add(ClientUser.Associate(bakery, lee, PermissionSet.Of([Permission.Invoices])));
            db.Invitations.Add(Invitation.Create(
                bakery.Id, "sam@bakery.example", PermissionSet.Of([Permission.Tickets, Permission.Products]), ben.Id, null,
                Infrastructure.Auth.Tokens.Hash(Infrastructure.Auth.Tokens.New()), now.AddDays(-1), TimeSpan.FromDays(7)));
            var expired = Invitation.Create(
                danaDesigns.Id, "old.friend@designer.example", PermissionSet.Of([Permission.Profile]), dana.Id, null,
                Infrastructure.Auth.Tokens.Hash(Infrastructure.Auth.Tokens.New()), now.AddDays(-10), TimeSpan.FromDays(7));
            expired.Expire(now);
            db.Invitations.Add(expired);
            var stall = Client.Open(Profile("Ben", "Baker", "Bakery Pop-up Stall", "stall@bakery.example"), ben, now.AddDays(-60));
            db.Clients.Add(stall);
            await db.SaveChangesAsync(cancellationToken);
            stall.ChangeStatus(ClientStatus.Closed, now.AddDays(-14));
        }

        /// <summary>Six weeks of activity in the accounts, by their users, the admin and the system.</summary>
        private void SeedActivity(Client danaDesigns, User dana, Client bakery, User ben, User lee, Administrator admin, DateTimeOffset now)
        {
            var start = now.AddDays(-42);
            for (var day = 0; day < 42; day += 3)
            {
                var at = start.AddDays(day).AddHours(9 + day % 7);
                db.ActivityLog.Add(new ActivityLogEntry(at, $"Logged in as {ben.Email} to {bakery.DisplayName} (#{bakery.Id})", bakery.Id, ben.Id, null, "203.0.113.10"));
                db.ActivityLog.Add(new ActivityLogEntry(at.AddHours(2), $"Logged in as {dana.Email}", danaDesigns.Id, dana.Id, null, "198.51.100.7"));
                if (day % 9 == 0)
                {
                    db.ActivityLog.Add(new ActivityLogEntry(at.AddHours(3), $"Logged in as {lee.Email} to {bakery.DisplayName} (#{bakery.Id})", bakery.Id, lee.Id, null, "203.0.113.24"));
                }
            }

            db.ActivityLog.Add(new ActivityLogEntry(now.AddDays(-30), $"Associated lee@bakery.example with Bakery Ltd (#{bakery.Id}) with permissions {{View & Pay Invoices}}", bakery.Id, ben.Id, null, "203.0.113.10"));
            db.ActivityLog.Add(new ActivityLogEntry(now.AddDays(-21), $"Client profile of {bakery.DisplayName} updated (Phone)", bakery.Id, ben.Id, null, "203.0.113.10"));
            db.ActivityLog.Add(new ActivityLogEntry(now.AddDays(-14), "Client Bakery Pop-up Stall status changed from Active to Closed", db.Clients.Local.Single(c => c.CompanyName == "Bakery Pop-up Stall").Id, null, admin.Id, "192.0.2.1"));
            db.ActivityLog.Add(new ActivityLogEntry(now.AddDays(-10), $"Invited old.friend@designer.example to {danaDesigns.DisplayName} (#{danaDesigns.Id}) with permissions {{Modify Master Account Profile}}", danaDesigns.Id, dana.Id, null, "198.51.100.7"));
            db.ActivityLog.Add(new ActivityLogEntry(now.AddDays(-7), "Password reset e-mail sent to ben@bakery.example", bakery.Id, null, admin.Id, "192.0.2.1"));
            db.ActivityLog.Add(new ActivityLogEntry(now.AddDays(-3), $"Invitation to old.friend@designer.example for {danaDesigns.DisplayName} expired", danaDesigns.Id, null, null, null));
            db.ActivityLog.Add(new ActivityLogEntry(now.AddDays(-1), $"Invited sam@bakery.example to {bakery.DisplayName} (#{bakery.Id}) with permissions {{View Products & Services, View & Open Support Tickets}}", bakery.Id, ben.Id, null, "203.0.113.10"));
        }

        /// <summary>The provider's details on invoices and how to pay by bank transfer, as a provider fills them in Settings.</summary>
        private async Task SeedProviderAsync(CancellationToken cancellationToken)
        {
            await settings.SetAsync(Settings.SystemSettings.SellerNameKey, "Harbour Hosting Ltd", cancellationToken);
            await settings.SetAsync(Settings.SystemSettings.SellerAddressKey, "4 Quay Street\nPortsmouth PO1 2AB\nUnited Kingdom", cancellationToken);
            await settings.SetAsync(Settings.SystemSettings.SellerTaxIdKey, "VAT GB 123 4567 89", cancellationToken);
            await settings.SetAsync(Settings.SystemSettings.BankTransferInstructionsKey,
                "Pay by bank transfer to Harbour Hosting Ltd, sort code 12-34-56, account 12345678, with the invoice number as the reference.", cancellationToken);
        }

        /// <summary>A small catalogue; Dana Designs has a paid order with active services, Bakery Ltd an unpaid one.</summary>
        private async Task SeedBillingAsync(Client danaDesigns, User designer, Client bakery, User bakeryOwner, Administrator admin, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var hosting = Product.Create(new ProductDetails("Web Hosting", "Shared hosting with 10 GB of storage", 9.99m, 19m, BillingCycle.Monthly, false), now);
            var domain = Product.Create(new ProductDetails("Domain Registration", "A .com domain for a year", 14m, 0m, BillingCycle.Annually, false), now);
            var care = Product.Create(new ProductDetails("Website Care Plan", "Updates and backups every quarter", 120m, 0m, BillingCycle.Quarterly, false), now);
            db.Products.AddRange(hosting, domain, care);
            await db.SaveChangesAsync(cancellationToken);

            var paid = Order.Place(danaDesigns.Id, designer, null, [(hosting, 1), (domain, 1)], Infrastructure.Auth.Tokens.New(), 1, false, now.AddDays(-20));
            var unpaid = Order.Place(bakery.Id, bakeryOwner, null, [(care, 1)], Infrastructure.Auth.Tokens.New(), 2, false, now.AddDays(-2));
            db.Orders.AddRange(paid, unpaid);
            await db.SaveChangesAsync(cancellationToken);

            paid.Invoice!.RecordPayment(paid.Invoice.Total, now.AddDays(-18), "Bank transfer", "INV-1", admin.Id, now.AddDays(-18));
            foreach (var service in paid.InvoicePaid(now.AddDays(-18)))
            {
                logins.Issue(service);
            }

            // The e-mail history the accounts would have by now: the order confirmations, the unpaid invoice, a staff answer.
            billingMail.OrderPlaced(paid, designer, danaDesigns.DisplayName);
            billingMail.OrderPlaced(unpaid, bakeryOwner, bakery.DisplayName);
            billingMail.InvoiceCreated(unpaid.Invoice!, bakery.DisplayName, [new InvoiceRecipients.Recipient(bakeryOwner.Email!, bakeryOwner.FirstName, bakeryOwner.Id)]);
            var oven = db.Tickets.Local.Single(t => t.Subject == "Online ordering page is slow");
            outbox.Queue(bakeryOwner.Email!, new TicketAnsweredMail(oven.Reference, oven.Subject, "Thanks, all. We are compressing the images now.", null, "support@portal.example"), bakery.Id, bakeryOwner.Id);
            foreach (var message in db.EmailMessages.Local)
            {
                message.MarkSent(now);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        /// <summary>Two departments and tickets whose replies carry every badge, as the admin sees them.</summary>
        private void SeedSupport(Client bakery, Client portfolio, User ben, User dana, Administrator admin, DateTimeOffset now)
        {
            var support = Department.Create("Technical Support", "support@portal.example", hidden: false);
            var sales = Department.Create("Sales", "sales@portal.example", hidden: false);
            db.Departments.AddRange(support, sales);
            var carla = Contact.Add(bakery.Id, new ContactDetails("Carla Cashier", "carla@bakery.example", "+1 555 0199", "Accounts", Invoices: true, Support: true));
            carla.Confirm(now.AddDays(-3));
            db.Contacts.Add(carla);
            var operatorSender = new Sender(admin.Email, $"{admin.FirstName} {admin.LastName}", AdminId: admin.Id);
            var oven = Ticket.Open(bakery.Id, support, "Online ordering page is slow", TicketPriority.High, new Sender(ben.Email!, ben.FullName, UserId: ben.Id), "Customers say the order page takes ages to load.", now.AddHours(-5));
            oven.Reply(new Sender(dana.Email!, dana.FullName, UserId: dana.Id), "I see it too, mostly on the menu images.", now.AddHours(-4));
            oven.Reply(new Sender("carla@bakery.example", "Carla Cashier", Channel: ReplyChannel.Email, Verified: false), "Till staff report the same since Monday.", now.AddHours(-3));
            oven.Reply(new Sender("visitor@elsewhere.example", "A Visitor", Channel: ReplyChannel.Email, Verified: false), "Your site is slow for me as well.", now.AddHours(-2));
            oven.Reply(operatorSender, "Thanks, all. We are compressing the images now.", now.AddHours(-1));
            oven.AddInternalNote(admin.Id, operatorSender.Name, admin.Email, "Images are 8 MB each; ask Dana to resize.", now.AddMinutes(-50));
            var domain = Ticket.Open(portfolio.Id, sales, "Quote for a second site", TicketPriority.Low, new Sender(dana.Email!, dana.FullName, UserId: dana.Id), "Could you quote for another brochure site?", now.AddHours(-2));
            domain.Reply(new Sender(ben.Email!, ben.FullName), "Ben here by e-mail: the site would be for the bakery's café.", now.AddHours(-1));
            db.Tickets.AddRange(oven, domain);
        }

        private async Task<User> CreateUserAsync(string email, string first, string last, DateTimeOffset now)
        {
            var user = new User { UserName = email, Email = email, EmailConfirmed = true, FirstName = first, LastName = last, CreatedAt = now, PasswordHash = _userHash };
            var result = await users.CreateAsync(user);
            return result.Succeeded ? user : throw Refuse.Because(result.Errors.First().Description);
        }

        private static ClientProfile Profile(string first, string last, string company, string email) =>
            new(first, last, company, email, "1 High Street", "Springfield", "", "12345", "United Kingdom", "+44 20 7946 0000");
    }
}
