using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Membership;
using Portal.Features.Shared;
using Portal.Features.Support;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Support;

/// <summary>
/// Issue 23 items 1, 6, 14 and 16: an address an owner typed routes and counts for nothing until its holder confirms
/// it; subscribing an address to support mail needs the tickets permission; only authenticated or known senders hear
/// back from a mailed ticket; the e-mail history shows a ticket mail's text only to those who may read tickets.
/// </summary>
[Collection(SupportCollection.Name)]
public sealed class ContactTrustTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    private static byte[] Mail(string from, string to, string subject, string body, string? headers = null) =>
        Encoding.UTF8.GetBytes($"From: <{from}>\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@trust.example.test>\r\n" +
            $"MIME-Version: 1.0\r\n{headers}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n");

    private async Task<(int? ClientId, Badge Badge)> OpenByMailAsync(string from, string subject)
    {
        var department = await portal.DepartmentAsync("Trust " + Guid.NewGuid().ToString("N")[..6]);
        var result = await slice.SendAsync(new ImportMail.Command(Mail(from, department.Email, subject, "Hello.")));
        Assert.Equal(ImportMail.Outcome.Opened, result.Outcome);
        var thread = await slice.SendAsync(new WorkTicket.Query(result.TicketId!.Value));
        return (thread!.ClientId, thread.Entries.Single().Badge);
    }

    [Fact]
    public async Task A_contact_address_an_owner_typed_routes_no_strangers_mail_until_its_holder_confirms_it()
    {
        var (attacker, trap) = await portal.CreateOwnerAsync("Trap Co");
        var prospect = PortalFixture.UniqueEmail("prospect");
        using (var browser = await portal.LoginAsync(attacker.Email!))
        {
            await browser.SubmitAsync("/account/contacts/new", new() { ["Input.Name"] = "Prospect", ["Input.Email"] = prospect });
        }

        Assert.Equal(((int?)null, Badge.Guest), await OpenByMailAsync(prospect, "Before confirming"));
        Assert.Empty(await portal.WithDbAsync(db => db.Tickets.Where(t => t.ClientId == trap.Id).ToListAsync()));

        // The prospect follows the link mailed to them: from now on the address is the account's.
        var mail = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.To == prospect && m.Kind == "ContactConfirmation").SingleAsync());
        var link = new Uri(System.Text.RegularExpressions.Regex.Match(mail.TextBody, @"https?://\S+/contacts/confirm\?token=[A-Za-z0-9_-]+").Value).PathAndQuery;
        using var anonymous = portal.NewBrowser();
        var page = await anonymous.GetAsync(link);
        Assert.Contains("Trap Co", page.Document.QuerySelector("main")!.TextContent);
        Assert.Null(await portal.WithDbAsync(db => db.Contacts.Where(c => c.NormalizedEmail == prospect.ToUpperInvariant()).Select(c => c.ConfirmedAt).SingleAsync()));
        var confirmed = await anonymous.FollowAsync(await anonymous.SubmitAsync(page, []));
        Assert.NotNull(confirmed.Document.QuerySelector("[data-contact-confirmed]"));
        Assert.Equal(((int?)trap.Id, Badge.SubAccount), await OpenByMailAsync(prospect, "After confirming"));

        // The link works once.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(link)).Status);
    }

    [Fact]
    public async Task Adding_an_address_another_account_knows_changes_nothing_for_that_account()
    {
        var (owner, home) = await portal.CreateOwnerAsync("Home Co");
        await portal.VerifyEmailAsync(owner.Id);
        var (rival, _) = await portal.CreateOwnerAsync("Rival Co");
        using (var browser = await portal.LoginAsync(rival.Email!))
        {
            await browser.SubmitAsync("/account/contacts/new", new() { ["Input.Name"] = "Not Mine", ["Input.Email"] = owner.Email! });
        }

        Assert.Equal(((int?)home.Id, Badge.Owner), await OpenByMailAsync(owner.Email!, "Still mine"));
    }

    [Fact]
    public async Task An_address_known_to_two_accounts_routes_to_none_and_an_unverified_login_routes_nothing()
    {
        var (owner, first) = await portal.CreateOwnerAsync("First Co");
        await portal.VerifyEmailAsync(owner.Id);
        var (_, second) = await portal.CreateOwnerAsync("Second Co");
        await portal.ContactAsync(second.Id, owner.Email!, confirmed: true);
        var (unverified, _) = await portal.CreateOwnerAsync("Unverified Co");

        Assert.Null((await OpenByMailAsync(owner.Email!, "Two accounts")).ClientId);
        Assert.Null((await OpenByMailAsync(unverified.Email!, "Unverified login")).ClientId);
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public async Task An_unconfirmed_contact_gets_no_support_answers()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        var pending = PortalFixture.UniqueEmail("pending");
        var confirmed = PortalFixture.UniqueEmail("confirmed");
        await portal.ContactAsync(client.Id, pending, confirmed: false);
        await portal.ContactAsync(client.Id, confirmed);
        var ticket = await portal.TicketAsync(client.Id, owner.AsSender());

        var recipients = await portal.WithDbAsync(db => TicketFollowers.ForAnswerAsync(db, ticket, CancellationToken.None));

        Assert.Contains(recipients, r => r.Email == confirmed);
        Assert.DoesNotContain(recipients, r => r.Email == pending);
    }

    [Fact]
    public async Task A_user_without_tickets_cannot_subscribe_a_contact_to_support_mail_nor_move_a_subscribed_one()
    {
        var (_, client) = await portal.CreateOwnerAsync("Contacts Only Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Contacts);
        var subscribed = await portal.ContactAsync(client.Id, PortalFixture.UniqueEmail("subscribed"));
        using var browser = await portal.LoginAsync(member.Email!);

        var form = await browser.GetAsync("/account/contacts/new");
        Assert.NotNull(form.Document.QuerySelector("[data-support-locked]"));
        var refused = await browser.FollowAsync(await browser.SubmitAsync("/account/contacts/new", new()
        {
            ["Input.Name"] = "Myself", ["Input.Email"] = member.Email!, ["Input.Support"] = "true",
        }));
        Assert.Contains(ContactRules.SupportNeedsTickets, refused.Text);
        Assert.False(await portal.WithDbAsync(db => db.Contacts.AnyAsync(c => c.ClientId == client.Id && c.Email == member.Email)));

        var moved = await browser.FollowAsync(await browser.SubmitAsync($"/account/contacts/{subscribed.Id}", new() { ["Input.Email"] = member.Email! }));
        Assert.Contains(ContactRules.SupportNeedsTickets, moved.Text);
        Assert.Equal(subscribed.Email, await portal.WithDbAsync(db => db.Contacts.Where(c => c.Id == subscribed.Id).Select(c => c.Email).SingleAsync()));

        // Without the support choice the contact is theirs to add, and a name change keeps a subscription.
        await browser.SubmitAsync("/account/contacts/new", new() { ["Input.Name"] = "Myself", ["Input.Email"] = member.Email! });
        Assert.False(await portal.WithDbAsync(db => db.Contacts.Where(c => c.ClientId == client.Id && c.Email == member.Email).Select(c => c.ReceivesSupport).SingleAsync()));
        await browser.SubmitAsync($"/account/contacts/{subscribed.Id}", new() { ["Input.Name"] = "Renamed" });
        Assert.True(await portal.WithDbAsync(db => db.Contacts.Where(c => c.Id == subscribed.Id).Select(c => c.ReceivesSupport).SingleAsync()));
    }

    [Fact]
    public async Task An_account_mails_at_most_thirty_confirmation_links_an_hour()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Bulk Co");
        await portal.WithDbAsync(async db =>
        {
            for (var i = 0; i < ContactConfirmation.PerAccountPerHour; i++)
            {
                db.EmailMessages.Add(new EmailMessage(PortalFixture.UniqueEmail("earlier"), "Please confirm", "Text", "<p>Text</p>", portal.Factory.Time.GetUtcNow(), client.Id, null, "ContactConfirmation"));
            }

            await db.SaveChangesAsync();
        });
        using var browser = await portal.LoginAsync(owner.Email!);
        var stranger = PortalFixture.UniqueEmail("stranger");

        var refused = await browser.FollowAsync(await browser.SubmitAsync("/account/contacts/new", new() { ["Input.Name"] = "One Too Many", ["Input.Email"] = stranger }));

        Assert.Contains(ContactConfirmation.TooMany, refused.Text);
        Assert.False(await portal.WithDbAsync(db => db.Contacts.AnyAsync(c => c.ClientId == client.Id)));
        Assert.False(await portal.WithDbAsync(db => db.EmailMessages.AnyAsync(m => m.To == stranger)));
    }

    [Fact]
    public async Task Only_authenticated_or_known_senders_are_acknowledged_and_at_most_three_times_an_hour()
    {
        var department = await portal.DepartmentAsync("Backscatter Desk");
        var forged = PortalFixture.UniqueEmail("forged-victim");
        var authenticated = PortalFixture.UniqueEmail("authenticated");
        var (known, _) = await portal.CreateOwnerAsync();
        await portal.VerifyEmailAsync(known.Id);
        Task<int> AcknowledgementsAsync(string to) => portal.WithDbAsync(db => db.EmailMessages.CountAsync(m => m.To == to && m.Kind == "TicketOpened"));

        for (var i = 0; i < 5; i++)
        {
            await slice.SendAsync(new ImportMail.Command(Mail(forged, department.Email, $"Forged {i}", "Spam.")));
            await slice.SendAsync(new ImportMail.Command(Mail(authenticated, department.Email, $"Authenticated {i}", "Hello.",
                $"Authentication-Results: {PortalFactory.TrustedAuthServId}; spf=pass smtp.mailfrom={authenticated}\r\n")));
            await slice.SendAsync(new ImportMail.Command(Mail(known.Email!, department.Email, $"Known {i}", "Hello.")));
        }

        Assert.Equal((0, 3, 3), (await AcknowledgementsAsync(forged), await AcknowledgementsAsync(authenticated), await AcknowledgementsAsync(known.Email!)));

        portal.Factory.Time.Advance(TimeSpan.FromMinutes(61));
        await slice.SendAsync(new ImportMail.Command(Mail(known.Email!, department.Email, "Next hour", "Hello.")));
        Assert.Equal(4, await AcknowledgementsAsync(known.Email!));
    }

    [Fact]
    public async Task The_text_of_a_ticket_mail_in_the_history_needs_the_tickets_permission_too()
    {
        var (owner, client) = await portal.CreateOwnerAsync("History Trust Co");
        var reader = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, reader.Id, Permission.Emails);
        var ticket = await portal.TicketAsync(client.Id, owner.AsSender(), "Private matter");
        var answer = await portal.WithDbAsync(async db =>
        {
            var message = new EmailMessage(owner.Email!, $"[#{ticket.Reference}] Private matter", "Support answered: the secret staff answer.", "<p>the secret staff answer</p>",
                portal.Factory.Time.GetUtcNow(), client.Id, owner.Id, "TicketAnswered");
            db.EmailMessages.Add(message);
            await db.SaveChangesAsync();
            return message;
        });

        using (var browser = await portal.LoginAsync(reader.Email!))
        {
            var page = await browser.GetAsync($"/emails/{answer.Id}");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.NotNull(page.Document.QuerySelector("[data-text-withheld]"));
            Assert.DoesNotContain("secret staff answer", page.Text);
        }

        using (var browser = await portal.LoginAsync(owner.Email!))
        {
            Assert.Contains("secret staff answer", (await browser.GetAsync($"/emails/{answer.Id}")).Document.QuerySelector("[data-body]")!.TextContent);
        }
    }

    [Fact]
    public async Task The_owner_can_send_a_contact_a_new_link_after_ten_minutes_and_only_the_newest_link_works()
    {
        var (owner, _) = await portal.CreateOwnerAsync("Resend Link Co");
        var contactEmail = PortalFixture.UniqueEmail("resend");
        using var browser = await portal.LoginAsync(owner.Email!);
        await browser.SubmitAsync("/account/contacts/new", new() { ["Input.Name"] = "Resend Me", ["Input.Email"] = contactEmail });
        var contactId = await portal.WithDbAsync(db => db.Contacts.Where(c => c.Email == contactEmail).Select(c => c.Id).SingleAsync());
        var resend = $"form[action*='handler=Resend'][action*='contactId={contactId}']";

        var tooSoon = await browser.FollowAsync(await browser.SubmitAsync("/account/contacts", [], resend));
        Assert.Contains("Wait ten minutes", tooSoon.Document.QuerySelector("[data-flash-warning]")!.TextContent);
        Assert.Single(await portal.MessagesToAsync(contactEmail));

        portal.Factory.Time.Advance(TimeSpan.FromMinutes(11));
        var sent = await browser.FollowAsync(await browser.SubmitAsync("/account/contacts", [], resend));

        Assert.Contains($"A new confirmation link was sent to {contactEmail}", sent.Document.QuerySelector("[data-flash]")!.TextContent);
        var links = (await portal.MessagesToAsync(contactEmail))
            .Select(m => new Uri(System.Text.RegularExpressions.Regex.Match(m.TextBody, @"https?://\S+/contacts/confirm\?token=[A-Za-z0-9_-]+").Value).PathAndQuery).ToList();
        Assert.Equal(2, links.Count);
        using var holder = portal.NewBrowser();
        Assert.Equal(HttpStatusCode.NotFound, (await holder.GetAsync(links[0])).Status);
        Assert.Equal(HttpStatusCode.OK, (await holder.GetAsync(links[1])).Status);
    }
}
