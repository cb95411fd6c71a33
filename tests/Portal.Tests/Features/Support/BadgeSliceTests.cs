using Microsoft.EntityFrameworkCore;
using Portal.Features.Support;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;

namespace Portal.Tests.Features.Support;

/// <summary>The badges staff see, read from a real database as the account stands when the page is shown.</summary>
[Collection(SupportCollection.Name)]
public sealed class BadgeSliceTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    private async Task<IReadOnlyList<(string Email, Badge Badge)>> BadgesAsync(int ticketId) =>
        (await slice.SendAsync(new WorkTicket.Query(ticketId)))!.Entries.Select(e => (e.SenderEmail, e.Badge)).ToList();

    private async Task<Badge> BadgeOfAsync(int ticketId, string email) => (await BadgesAsync(ticketId)).Last(b => b.Email == email).Badge;

    [Fact]
    public async Task Every_badge_in_one_thread()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Badge Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        var outsider = await portal.CreateUserAsync();
        var contact = PortalFixture.UniqueEmail("contact");
        await portal.ContactAsync(client.Id, contact);
        var guest = PortalFixture.UniqueEmail("guest");
        var ticket = await portal.TicketAsync(client.Id, owner.AsSender());
        await portal.ReplyAsync(ticket.Id, member.AsSender(), "Same here.");
        await portal.ReplyAsync(ticket.Id, new Sender(outsider.Email!, "Outsider"), "By e-mail from a portal user of no relation.");
        await portal.ReplyAsync(ticket.Id, new Sender(contact.ToUpperInvariant(), "Carla"), "By e-mail from a contact.");
        await portal.ReplyAsync(ticket.Id, new Sender(guest, "Guest"), "By e-mail from nobody we know.");
        await portal.ReplyAsync(ticket.Id, new Sender("ops@example.test", "Sam", AdminId: 1), "We are on it.");

        Assert.Equal(
            [Badge.Owner, Badge.AuthorizedUser, Badge.RegisteredUser, Badge.SubAccount, Badge.Guest, Badge.Operator],
            (await BadgesAsync(ticket.Id)).Select(b => b.Badge));
    }

    [Fact]
    public async Task An_owners_e_mailed_reply_is_Owner_by_its_address()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        var ticket = await portal.TicketAsync(client.Id, owner.AsSender());
        await portal.ReplyAsync(ticket.Id, new Sender(owner.Email!.ToUpperInvariant(), ""), "Sent from my phone.");

        Assert.All(await BadgesAsync(ticket.Id), b => Assert.Equal(Badge.Owner, b.Badge));
    }

    [Fact]
    public async Task A_user_removed_from_the_account_later_reads_as_Registered_User()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        var ticket = await portal.TicketAsync(client.Id, member.AsSender());
        Assert.Equal(Badge.AuthorizedUser, await BadgeOfAsync(ticket.Id, member.Email!));

        await portal.WithDbAsync(async db =>
        {
            db.ClientUsers.Remove(await db.ClientUsers.SingleAsync(cu => cu.ClientId == client.Id && cu.UserId == member.Id));
            await db.SaveChangesAsync();
        });

        Assert.Equal(Badge.RegisteredUser, await BadgeOfAsync(ticket.Id, member.Email!));
    }

    [Fact]
    public async Task A_change_of_owner_relabels_the_old_replies()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        var ticket = await portal.TicketAsync(client.Id, owner.AsSender());
        await portal.ReplyAsync(ticket.Id, member.AsSender(), "I will take it from here.");

        await portal.WithDbAsync(async db =>
        {
            var account = await db.Clients.Include(c => c.Users).SingleAsync(c => c.Id == client.Id);
            account.TransferOwnership(account.Users.Single(cu => cu.UserId == member.Id));
            await db.SaveChangesAsync();
        });

        Assert.Equal(Badge.AuthorizedUser, await BadgeOfAsync(ticket.Id, owner.Email!));
        Assert.Equal(Badge.Owner, await BadgeOfAsync(ticket.Id, member.Email!));
    }

    [Fact]
    public async Task A_deleted_contact_reads_as_Guest()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        var email = PortalFixture.UniqueEmail("contact");
        var contact = await portal.ContactAsync(client.Id, email);
        var ticket = await portal.TicketAsync(client.Id, new Sender(email, "Carla"));
        Assert.Equal(Badge.SubAccount, await BadgeOfAsync(ticket.Id, email));

        await portal.WithDbAsync(async db =>
        {
            db.Contacts.Remove(await db.Contacts.SingleAsync(c => c.Id == contact.Id));
            await db.SaveChangesAsync();
        });

        Assert.Equal(Badge.Guest, await BadgeOfAsync(ticket.Id, email));
    }

    [Fact]
    public async Task A_sender_who_is_both_a_contact_and_a_user_gets_the_earlier_rule()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        await portal.ContactAsync(client.Id, member.Email!);
        var ticket = await portal.TicketAsync(client.Id, new Sender(member.Email!, "Mixed"));

        Assert.Equal(Badge.AuthorizedUser, await BadgeOfAsync(ticket.Id, member.Email!));
    }

    [Fact]
    public async Task Assigning_a_ticket_to_another_account_recomputes_its_badges()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        var (otherOwner, other) = await portal.CreateOwnerAsync("Other Co");
        var contact = PortalFixture.UniqueEmail("contact");
        await portal.ContactAsync(other.Id, contact);
        var ticket = await portal.TicketAsync(null, new Sender(contact, "Carla"));
        await portal.ReplyAsync(ticket.Id, otherOwner.AsSender(), "That is our contact.");
        Assert.Equal([Badge.Guest, Badge.RegisteredUser], (await BadgesAsync(ticket.Id)).Select(b => b.Badge));

        await portal.WithDbAsync(async db =>
        {
            (await db.Tickets.SingleAsync(t => t.Id == ticket.Id)).AssignTo(other.Id);
            await db.SaveChangesAsync();
        });

        Assert.Equal([Badge.SubAccount, Badge.Owner], (await BadgesAsync(ticket.Id)).Select(b => b.Badge));
    }
}
