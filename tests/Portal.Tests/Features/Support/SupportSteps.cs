using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Tests.Infrastructure;
using Portal.Features.Support;
using Portal.Features.Identity;

namespace Portal.Tests.Features.Support;

/// <summary>Departments, tickets, replies and contacts written straight to the database for the support tests.</summary>
public static class SupportSteps
{
    public static Task<Department> DepartmentAsync(this PortalFixture portal, string name = "Support", bool hidden = false) =>
        portal.WithDbAsync(async db =>
        {
            var department = Department.Create(name, PortalFixture.UniqueEmail(name.ToLowerInvariant().Replace(' ', '-')), hidden);
            db.Departments.Add(department);
            await db.SaveChangesAsync();
            return department;
        });

    public static Task<Ticket> TicketAsync(this PortalFixture portal, int? clientId, Sender requester, string subject = "Printer jams", string message = "It jams on every page.") =>
        portal.WithDbAsync(async db =>
        {
            var department = await db.Departments.FirstOrDefaultAsync(d => !d.IsHidden) ?? Department.Create("Support", PortalFixture.UniqueEmail("support"), false);
            var ticket = Ticket.Open(clientId, department, subject, TicketPriority.Medium, requester, message, portal.Factory.Time.GetUtcNow());
            db.Tickets.Add(ticket);
            await db.SaveChangesAsync();
            return ticket;
        });

    /// <summary>A guest's ticket and the token of its private link.</summary>
    public static Task<(Ticket Ticket, string Token)> GuestTicketAsync(this PortalFixture portal, string email, string subject = "Guest question") =>
        portal.WithDbAsync(async db =>
        {
            var department = await db.Departments.FirstOrDefaultAsync(d => !d.IsHidden) ?? Department.Create("Support", PortalFixture.UniqueEmail("support"), false);
            var ticket = Ticket.Open(null, department, subject, TicketPriority.Medium, new Sender(email, "Gus Guest"), "A guest's question.", portal.Factory.Time.GetUtcNow());
            var token = Portal.Infrastructure.Auth.Tokens.New();
            ticket.IssueGuestToken(Portal.Infrastructure.Auth.Tokens.Hash(token));
            db.Tickets.Add(ticket);
            await db.SaveChangesAsync();
            return (ticket, token);
        });

    public static Task ReplyAsync(this PortalFixture portal, int ticketId, Sender sender, string message) =>
        portal.WithDbAsync(async db =>
        {
            var ticket = await db.Tickets.SingleAsync(t => t.Id == ticketId);
            ticket.Reply(sender, message, portal.Factory.Time.GetUtcNow());
            await db.SaveChangesAsync();
        });

    /// <summary>A contact of the account; <paramref name="confirmed"/>: as if they had followed the link mailed to the address.</summary>
    public static Task<Contact> ContactAsync(this PortalFixture portal, int clientId, string email, bool support = true, bool confirmed = true) =>
        portal.WithDbAsync(async db =>
        {
            var contact = Contact.Add(clientId, new ContactDetails("Carla Contact", email, "+1 555 0101", "Accounts", false, support));
            if (confirmed)
            {
                contact.Confirm(portal.Factory.Time.GetUtcNow());
            }

            db.Contacts.Add(contact);
            await db.SaveChangesAsync();
            return contact;
        });

    public static Sender AsSender(this User user) => new(user.Email!, user.FullName, UserId: user.Id);
}
