using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Membership;
using Portal.Features.Support;
using Portal.Tests.Features.Support;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>
/// Issue 23 items 1 and 2, as classes of attack rather than examples: an address in a mail header is a claim. A forged
/// From, a display name that imitates someone, a sender unrelated to the ticket and a guessed reference must never be
/// taken for a user of the account, nor shown to the client as part of their ticket. Every case counts in the
/// security summary; every failure too (and must stay 0).
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class InboundMailIdentityTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    private const string Trusted = PortalFactory.TrustedAuthServId;

    private static byte[] Mail(string from, string subject, string body, string to = "support@example.test", string? headers = null) =>
        Encoding.UTF8.GetBytes($"From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@identity.example.test>\r\n" +
            $"Date: Mon, 30 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n{headers}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n");

    private Task<ImportMail.Result> ImportAsync(byte[] raw) => slice.SendAsync(new ImportMail.Command(raw));

    /// <summary>An owner with a verified login address, their account and a ticket they opened.</summary>
    private async Task<(Portal.Features.Identity.User Owner, Portal.Features.Clients.Client Client, Ticket Ticket)> VictimAsync()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Victim Co");
        await portal.VerifyEmailAsync(owner.Id);
        var ticket = await portal.TicketAsync(client.Id, owner.AsSender(), "Server migration");
        return (owner, client, ticket);
    }

    private static string Domain(string email) => email[(email.IndexOf('@') + 1)..];

    /// <summary>How staff and the owner see the newest reply on the ticket.</summary>
    private async Task<(WorkTicket.Entry Staff, ViewTicket.Message? Client, Portal.Features.Support.TicketReply Stored)> NewestAsync(int clientId, int ticketId, int ownerId)
    {
        var stored = await portal.WithDbAsync(db => db.TicketReplies.AsNoTracking().Where(r => r.TicketId == ticketId).OrderByDescending(r => r.Id).FirstAsync());
        var staff = (await slice.SendAsync(new WorkTicket.Query(ticketId)))!.Entries.Single(e => e.Id == stored.Id);
        var thread = await slice.SendAsync(new ViewTicket.Query(clientId, ticketId, ownerId));
        var client = thread!.Messages.LastOrDefault(m => m.Text == stored.Message);
        return (staff, client, stored);
    }

    [Fact]
    public async Task A_forged_From_never_carries_the_users_identity()
    {
        var (owner, client, ticket) = await VictimAsync();
        var domain = Domain(owner.Email!);
        var forgeries = new (string Name, string From, string? Headers)[]
        {
            ("no Authentication-Results", owner.Email!, null),
            ("a pass from an untrusted server", owner.Email!, $"Authentication-Results: mx.attacker.example; dkim=pass header.d={domain}\r\n"),
            ("a DKIM failure", owner.Email!, $"Authentication-Results: {Trusted}; dkim=fail header.d={domain}\r\n"),
            ("DKIM pass for another domain", owner.Email!, $"Authentication-Results: {Trusted}; dkim=pass header.d=attacker.example\r\n"),
            ("DKIM pass for a bare top-level domain", owner.Email!, $"Authentication-Results: {Trusted}; dkim=pass header.d={domain[(domain.LastIndexOf('.') + 1)..]}\r\n"),
            ("SPF pass for another envelope sender", owner.Email!, $"Authentication-Results: {Trusted}; spf=pass smtp.mailfrom=bounce@attacker.example\r\n"),
            ("DMARC pass for another domain", owner.Email!, $"Authentication-Results: {Trusted}; dmarc=pass header.from=attacker.example\r\n"),
            ("a forged pass below the server's own failure", owner.Email!,
                $"Authentication-Results: {Trusted}; dkim=fail header.d={domain}\r\nAuthentication-Results: {Trusted}; dkim=pass header.d={domain}\r\n"),
            ("a pass hidden in a comment", owner.Email!, $"Authentication-Results: {Trusted}; dkim=none (dkim=pass header.d={domain})\r\n"),
            ("two From addresses", $"{owner.Email}, attacker@attacker.example", $"Authentication-Results: {Trusted}; dkim=pass header.d=attacker.example\r\n"),
            ("the address in upper case", owner.Email!.ToUpperInvariant(), null),
        };
        var failures = new List<string>();

        foreach (var (name, from, headers) in forgeries)
        {
            SecurityReport.Add(SecurityReport.InboundForgedFrom);
            var result = await ImportAsync(Mail(from, $"Re: [#{ticket.Reference}] Server migration", $"Forged: {name}.", headers: headers));
            var (staff, seen, stored) = await NewestAsync(client.Id, ticket.Id, owner.Id);
            if (result.Outcome != ImportMail.Outcome.Replied || stored.Message != $"Forged: {name}." || stored.UserId is not null || stored.SenderVerified
                || staff.ProofNote != "by e-mail, sender not verified" || seen is null || seen.IsYou || seen.ProofNote is null)
            {
                failures.Add($"{name}: {result.Outcome}, user {stored.UserId}, verified {stored.SenderVerified}, staff note '{staff.ProofNote}', client sees 'You': {seen?.IsYou}");
            }
        }

        SecurityReport.Add(SecurityReport.InboundIdentityFailures, failures.Count);
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // And the same address, vouched for by the trusted server, is the owner: the check can tell the two apart.
        await ImportAsync(Mail(owner.Email!, $"Re: [#{ticket.Reference}] Server migration", "Authenticated.", headers: $"Authentication-Results: {Trusted}; dkim=pass header.d={domain}\r\n"));
        var (trustedStaff, trustedSeen, trustedStored) = await NewestAsync(client.Id, ticket.Id, owner.Id);
        Assert.Equal((owner.Id, true, Badge.Owner, (string?)null, true), (trustedStored.UserId, trustedStored.SenderVerified, trustedStaff.Badge, trustedStaff.ProofNote, trustedSeen!.IsYou));
    }

    [Fact]
    public async Task A_display_name_that_imitates_someone_changes_nothing()
    {
        var (owner, client, ticket) = await VictimAsync();
        var attacker = PortalFixture.UniqueEmail("attacker");
        var tricks = new (string Name, string From, string? Headers)[]
        {
            ("the owner's address as the name", $"\"{owner.Email}\" <{attacker}>", null),
            ("the owner's full name", $"\"{owner.FullName}\" <{attacker}>", null),
            ("the support team's name", $"\"Support Team\" <{attacker}>", null),
            ("an encoded name holding the owner's address", $"=?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes($"{owner.FullName} <{owner.Email}>"))}?= <{attacker}>", null),
            ("a name written backwards with a bidi override", $"\"\u202E{new string(owner.Email!.Reverse().ToArray())}\" <{attacker}>", null),
            ("Reply-To the owner", $"Mallory <{attacker}>", $"Reply-To: {owner.Email}\r\n"),
            ("Sender the owner", $"Mallory <{attacker}>", $"Sender: {owner.Email}\r\n"),
            ("an authenticated attacker using the owner's name", $"\"{owner.FullName}\" <{attacker}>", $"Authentication-Results: {Trusted}; dkim=pass header.d={Domain(attacker)}\r\n"),
        };
        var failures = new List<string>();

        foreach (var (name, from, headers) in tricks)
        {
            SecurityReport.Add(SecurityReport.InboundDisplayNames);
            var result = await ImportAsync(Mail(from, $"Re: [#{ticket.Reference}] Server migration", $"Trick: {name}.", headers: headers));
            var (staff, seen, stored) = await NewestAsync(client.Id, ticket.Id, owner.Id);
            if (result.Outcome != ImportMail.Outcome.Held || !stored.IsHeld || stored.UserId is not null || stored.SenderEmail != attacker
                || staff.Badge is Badge.Owner or Badge.AuthorizedUser or Badge.SubAccount || seen is not null || stored.SenderName.Contains('\u202E'))
            {
                failures.Add($"{name}: {result.Outcome}, held {stored.IsHeld}, sender {stored.SenderEmail}, badge {staff.Badge}, shown to the client: {seen is not null}");
            }
        }

        SecurityReport.Add(SecurityReport.InboundIdentityFailures, failures.Count);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(TicketStatus.Open, await portal.WithDbAsync(db => db.Tickets.Where(t => t.Id == ticket.Id).Select(t => t.Status).SingleAsync()));
    }

    [Fact]
    public async Task A_reply_from_an_address_unrelated_to_the_ticket_is_held_for_staff_and_accepted_only_by_them()
    {
        var (owner, client, ticket) = await VictimAsync();
        var (otherOwner, other) = await portal.CreateOwnerAsync("Other Co");
        await portal.VerifyEmailAsync(otherOwner.Id);
        var otherContact = PortalFixture.UniqueEmail("other-contact");
        await portal.ContactAsync(other.Id, otherContact);
        var unconfirmed = PortalFixture.UniqueEmail("unconfirmed-contact");
        await portal.ContactAsync(client.Id, unconfirmed, confirmed: false);
        var payer = await portal.CreateUserAsync();
        await portal.VerifyEmailAsync(payer.Id);
        await portal.AssociateAsync(client.Id, payer.Id, Permission.Invoices);
        await portal.WithDbAsync(async db =>
        {
            (await db.Tickets.SingleAsync(t => t.Id == ticket.Id)).Close();
            await db.SaveChangesAsync();
        });
        var unrelated = new (string Name, string From, string? Headers)[]
        {
            ("a stranger", PortalFixture.UniqueEmail("stranger"), null),
            ("the owner of another account", otherOwner.Email!, null),
            ("the owner of another account, authenticated", otherOwner.Email!, $"Authentication-Results: {Trusted}; dkim=pass header.d={Domain(otherOwner.Email!)}\r\n"),
            ("a confirmed contact of another account", otherContact, null),
            ("an unconfirmed contact of this account", unconfirmed, null),
            ("a user of this account without the tickets permission", payer.Email!, null),
        };
        var failures = new List<string>();

        foreach (var (name, from, headers) in unrelated)
        {
            SecurityReport.Add(SecurityReport.InboundUnrelatedSenders);
            var result = await ImportAsync(Mail(from, $"Re: [#{ticket.Reference}] Server migration", $"Unrelated: {name}.", headers: headers));
            var (_, seen, stored) = await NewestAsync(client.Id, ticket.Id, owner.Id);
            if (result.Outcome != ImportMail.Outcome.Held || !stored.IsHeld || seen is not null)
            {
                failures.Add($"{name}: {result.Outcome}, held {stored.IsHeld}, shown to the client: {seen is not null}");
            }
        }

        SecurityReport.Add(SecurityReport.InboundIdentityFailures, failures.Count);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(TicketStatus.Closed, await portal.WithDbAsync(db => db.Tickets.Where(t => t.Id == ticket.Id).Select(t => t.Status).SingleAsync()));
        Assert.DoesNotContain((await slice.SendAsync(new ViewTicket.Query(client.Id, ticket.Id, owner.Id)))!.Messages, m => m.Text.StartsWith("Unrelated:", StringComparison.Ordinal));

        // Staff see them, and accepting one shows it to the client and reopens the ticket.
        var held = (await slice.SendAsync(new WorkTicket.Query(ticket.Id)))!.Entries.Where(e => e.IsHeld).ToList();
        Assert.Equal(unrelated.Length, held.Count);
        await slice.SendAsync(new WorkTicket.Held { TicketId = ticket.Id, ReplyId = held[0].Id, Accept = true });
        await slice.SendAsync(new WorkTicket.Held { TicketId = ticket.Id, ReplyId = held[1].Id, Accept = false });
        var thread = await slice.SendAsync(new ViewTicket.Query(client.Id, ticket.Id, owner.Id));
        Assert.Equal(["Unrelated: a stranger."], thread!.Messages.Where(m => m.Text.StartsWith("Unrelated:", StringComparison.Ordinal)).Select(m => m.Text));
        Assert.Equal(TicketStatus.CustomerReply, thread.Status);
        Assert.True((await slice.SendAsync(new WorkTicket.Query(ticket.Id)))!.Entries.Single(e => e.Id == held[1].Id).IsInternalNote);
    }

    [Fact]
    public async Task A_guessed_reference_reaches_no_ticket_and_the_guesser_is_stopped()
    {
        var (owner, client, ticket) = await VictimAsync();
        var repliesBefore = await portal.WithDbAsync(db => db.TicketReplies.CountAsync(r => r.TicketId == ticket.Id));
        var department = await portal.DepartmentAsync("Guess Desk");
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var random = new Random(23);
        string Guess(int length) => new(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
        var failures = new List<string>();
        var outcomes = new List<ImportMail.Outcome>();

        // Forging the owner's address (the one that would not be held) and guessing: each guess lands nowhere but a new
        // ticket, and the sender's hourly limit ends the series.
        for (var i = 0; i < 30; i++)
        {
            SecurityReport.Add(SecurityReport.InboundGuessedReferences);
            var guess = Guess(i % 2 == 0 ? Ticket.ReferenceLength : 6);
            if (guess == ticket.Reference)
            {
                continue;
            }

            var result = await ImportAsync(Mail(owner.Email!, $"Re: [#{guess}] Server migration", $"Guess {i}.", to: department.Email));
            outcomes.Add(result.Outcome);
            if (result.TicketId == ticket.Id)
            {
                failures.Add($"guess {guess} reached the ticket");
            }
        }

        if (await portal.WithDbAsync(db => db.TicketReplies.CountAsync(r => r.TicketId == ticket.Id)) != repliesBefore)
        {
            failures.Add("the ticket got a reply");
        }

        SecurityReport.Add(SecurityReport.InboundIdentityFailures, failures.Count);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(20, outcomes.Count(o => o == ImportMail.Outcome.Opened));
        Assert.All(outcomes.Skip(20), o => Assert.Equal(ImportMail.Outcome.Dropped, o));
        Assert.Matches($"^[{alphabet}]{{{Ticket.ReferenceLength}}}$", (await portal.TicketAsync(client.Id, owner.AsSender())).Reference);
    }

    [Fact]
    public async Task A_member_address_typed_into_the_guest_form_never_becomes_the_members_badge()
    {
        var (owner, client, _) = await VictimAsync();
        var department = await portal.DepartmentAsync("Guest Form Desk");
        var email = await slice.SendAsync(new GuestTicket.Command { Name = owner.FullName, Email = owner.Email, DepartmentId = department.Id, Subject = "Please change my password", Message = "I am the owner." });
        var ticketId = await portal.WithDbAsync(db => db.Tickets.Where(t => t.Subject == "Please change my password" && t.DepartmentId == department.Id).Select(t => t.Id).SingleAsync());

        await slice.SendAsync(new WorkTicket.Assign { TicketId = ticketId, ClientId = client.Id });

        var entry = Assert.Single((await slice.SendAsync(new WorkTicket.Query(ticketId)))!.Entries);
        Assert.Equal(owner.Email, email.Email);
        Assert.Equal((Badge.Guest, "guest form, address not verified"), (entry.Badge, entry.ProofNote));
        var seen = Assert.Single((await slice.SendAsync(new ViewTicket.Query(client.Id, ticketId, owner.Id)))!.Messages);
        Assert.False(seen.IsYou);
    }
}
