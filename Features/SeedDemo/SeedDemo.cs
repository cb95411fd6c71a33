using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Infrastructure.Mediator;

namespace Portal.Features.SeedDemo;

/// <summary>
/// Fills an empty database with the source document's example: a web designer who owns two client accounts and holds
/// chosen permissions on a third, that account's owner, and an admin. Returns the logins to print.
/// </summary>
public static class SeedDemo
{
    public sealed record Command : ICommand<IReadOnlyList<string>>, ITransactional;

    public const string Password = "correct horse battery staple";

    internal sealed class Handler(
        PortalDbContext db, UserManager<User> users, IPasswordHasher<Administrator> adminHasher, ActivityWriter activity, Billing.Shared.ServiceLogins logins, TimeProvider time)
        : ICommandHandler<Command, IReadOnlyList<string>>
    {
        public async ValueTask<IReadOnlyList<string>> Handle(Command command, CancellationToken cancellationToken)
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
            admin.PasswordHash = adminHasher.HashPassword(admin, Password);
            db.Admins.Add(admin);
            await db.SaveChangesAsync(cancellationToken);
            SeedSupport(bakery, db.Clients.Local.Single(c => c.CompanyName == "Portfolio Sites"), bakeryOwner, designer, admin, now);
            activity.System("Demo data created");
            await db.SaveChangesAsync(cancellationToken);
            await SeedBillingAsync(danaDesigns, designer, bakery, bakeryOwner, admin, now, cancellationToken);

            return
            [
                $"client  dana@designer.example / {Password}  (owns Dana Designs and Portfolio Sites; products, tickets and domains at Bakery Ltd)",
                $"client  ben@bakery.example / {Password}  (owns Bakery Ltd, which has an unpaid invoice)",
                $"admin   admin@portal.example / {Password}  (at /admin/login)",
            ];
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

            await db.SaveChangesAsync(cancellationToken);
        }

        /// <summary>Two departments and tickets whose replies carry every badge, as the admin sees them.</summary>
        private void SeedSupport(Client bakery, Client portfolio, User ben, User dana, Administrator admin, DateTimeOffset now)
        {
            var support = Department.Create("Technical Support", "support@portal.example", hidden: false);
            var sales = Department.Create("Sales", "sales@portal.example", hidden: false);
            db.Departments.AddRange(support, sales);
            db.Contacts.Add(Contact.Add(bakery.Id, new ContactDetails("Carla Cashier", "carla@bakery.example", "+1 555 0199", "Accounts", Invoices: true, Support: true, General: false)));
            var operatorSender = new Sender(admin.Email, $"{admin.FirstName} {admin.LastName}", AdminId: admin.Id);
            var oven = Ticket.Open(bakery.Id, support, "Online ordering page is slow", TicketPriority.High, new Sender(ben.Email!, ben.FullName, UserId: ben.Id), "Customers say the order page takes ages to load.", now.AddHours(-5));
            oven.Reply(new Sender(dana.Email!, dana.FullName, UserId: dana.Id), "I see it too, mostly on the menu images.", now.AddHours(-4));
            oven.Reply(new Sender("carla@bakery.example", "Carla Cashier"), "Till staff report the same since Monday.", now.AddHours(-3));
            oven.Reply(new Sender("visitor@elsewhere.example", "A Visitor"), "Your site is slow for me as well.", now.AddHours(-2));
            oven.Reply(operatorSender, "Thanks, all. We are compressing the images now.", now.AddHours(-1));
            oven.AddInternalNote(admin.Id, operatorSender.Name, admin.Email, "Images are 8 MB each; ask Dana to resize.", now.AddMinutes(-50));
            var domain = Ticket.Open(portfolio.Id, sales, "Quote for a second site", TicketPriority.Low, new Sender(dana.Email!, dana.FullName, UserId: dana.Id), "Could you quote for another brochure site?", now.AddHours(-2));
            domain.Reply(new Sender(ben.Email!, ben.FullName), "Ben here by e-mail: the site would be for the bakery's café.", now.AddHours(-1));
            db.Tickets.AddRange(oven, domain);
        }

        private async Task<User> CreateUserAsync(string email, string first, string last, DateTimeOffset now)
        {
            var user = new User { UserName = email, Email = email, EmailConfirmed = true, FirstName = first, LastName = last, CreatedAt = now };
            var result = await users.CreateAsync(user, Password);
            return result.Succeeded ? user : throw Refuse.Because(result.Errors.First().Description);
        }

        private static ClientProfile Profile(string first, string last, string company, string email) =>
            new(first, last, company, email, "1 High Street", "Springfield", "", "12345", "United Kingdom", "+44 20 7946 0000");
    }
}
