using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Features.Support;
using Portal.Infrastructure.Cli;
using Portal.Infrastructure.Data.Support;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Support;

[Collection(SupportCollection.Name)]
public sealed class ImportMailTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    private static string Mail(string from, string to, string subject, string body, string? extraHeaders = null, string? messageId = null) =>
        $"From: Sender <{from}>\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{messageId ?? Guid.NewGuid().ToString("N")}@mail.example.test>\r\n" +
        $"Date: Sat, 28 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n{extraHeaders}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n";

    private async Task<(int ExitCode, string Output, string Error)> PipeAsync(string raw) => await PipeAsync(Encoding.UTF8.GetBytes(raw));

    private async Task<(int ExitCode, string Output, string Error)> PipeAsync(byte[] raw)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await slice.ExecuteScopeAsync(services => ImportMailVerb.RunAsync(services.GetRequiredService<Mediator.ISender>(), new MemoryStream(raw), output, error));
        return (code, output.ToString(), error.ToString());
    }

    private Task<int> RepliesAsync(int ticketId) => portal.WithDbAsync(db => db.TicketReplies.CountAsync(r => r.TicketId == ticketId));

    [Fact]
    public async Task A_contacts_piped_reply_with_the_reference_lands_on_the_ticket_trimmed_and_badged_Sub_account()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Piped Co");
        var contact = PortalFixture.UniqueEmail("contact");
        await portal.ContactAsync(client.Id, contact);
        var ticket = await portal.TicketAsync(client.Id, owner.AsSender(), "Printer");

        var (code, output, _) = await PipeAsync(Mail(contact, "support@example.test", $"Re: [#{ticket.Reference}] Printer",
            "It works now, thanks.\r\n\r\nOn Fri, 27 Nov 2026 Support wrote:\r\n> Try turning it off and on.\r\n> Regards"));

        Assert.Equal(0, code);
        Assert.Contains($"#{ticket.Reference}", output);
        var reply = await portal.WithDbAsync(db => db.TicketReplies.Where(r => r.TicketId == ticket.Id).OrderByDescending(r => r.Id).FirstAsync());
        Assert.Equal(("It works now, thanks.", contact), (reply.Message, reply.SenderEmail));
        var thread = await slice.SendAsync(new WorkTicket.Query(ticket.Id));
        Assert.Equal(Badge.SubAccount, thread!.Entries.Last().Badge);
        Assert.Equal(TicketStatus.CustomerReply, await portal.WithDbAsync(db => db.Tickets.Where(t => t.Id == ticket.Id).Select(t => t.Status).SingleAsync()));
    }

    [Fact]
    public async Task A_new_message_to_a_department_address_opens_a_ticket_there_for_the_senders_account()
    {
        var department = await portal.DepartmentAsync("Sales Inbound");
        var (owner, client) = await portal.CreateOwnerAsync("Inbound Co");
        await portal.VerifyEmailAsync(owner.Id);

        var (code, _, _) = await PipeAsync(Mail(owner.Email!, $"Sales <{department.Email.ToUpperInvariant()}>", "Quote for 10 seats", "Please send a quote."));

        Assert.Equal(0, code);
        var ticket = await portal.WithDbAsync(db => db.Tickets.Include(t => t.Replies).SingleAsync(t => t.DepartmentId == department.Id));
        Assert.Equal(("Quote for 10 seats", (int?)client.Id, owner.Email), (ticket.Subject, ticket.ClientId, ticket.RequesterEmail));
        Assert.Equal("Please send a quote.", Assert.Single(ticket.Replies).Message);
        Assert.True(await portal.WithDbAsync(db => db.EmailMessages.AnyAsync(m => m.To == owner.Email && m.Subject.Contains(ticket.Reference))));
    }

    [Fact]
    public async Task Html_only_mail_becomes_text_and_attachments_are_noted_not_kept()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        var ticket = await portal.TicketAsync(client.Id, owner.AsSender());
        var raw = $"From: {owner.Email}\r\nTo: support@example.test\r\nSubject: Re: #{ticket.Reference}\r\nMessage-ID: <{Guid.NewGuid():N}@x.test>\r\nMIME-Version: 1.0\r\n" +
                  "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hello <b>there</b></p><script>alert(1)</script>\r\n" +
                  "--b1\r\nContent-Type: application/pdf; name=\"invoice.pdf\"\r\nContent-Disposition: attachment; filename=\"invoice.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b1--\r\n";

        Assert.Equal(0, (await PipeAsync(raw)).ExitCode);

        var message = await portal.WithDbAsync(db => db.TicketReplies.Where(r => r.TicketId == ticket.Id).OrderByDescending(r => r.Id).Select(r => r.Message).FirstAsync());
        Assert.StartsWith("Hello there", message);
        Assert.DoesNotContain("<p>", message);
        Assert.Contains("[1 attachment(s) not imported: invoice.pdf]", message);
    }

    [Theory]
    [InlineData("Auto-Submitted: auto-replied\r\n", "sender")]
    [InlineData("Precedence: bulk\r\n", "sender")]
    [InlineData("Precedence: junk\r\n", "sender")]
    [InlineData("", "MAILER-DAEMON")]
    public async Task Auto_replies_and_bounces_import_nothing(string headers, string localPart)
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        var ticket = await portal.TicketAsync(client.Id, owner.AsSender());
        var from = localPart == "sender" ? owner.Email! : $"{localPart}@mail.example.test";

        var (code, output, _) = await PipeAsync(Mail(from, "support@example.test", $"Out of office: [#{ticket.Reference}]", "I am away.", headers));

        Assert.Equal(0, code);
        Assert.StartsWith("Dropped", output);
        Assert.Equal(1, await RepliesAsync(ticket.Id));
    }

    [Fact]
    public async Task The_same_Message_ID_twice_imports_once()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        var ticket = await portal.TicketAsync(client.Id, owner.AsSender());
        var raw = Mail(owner.Email!, "support@example.test", $"Re: #{ticket.Reference}", "Once only.", messageId: "dup-" + Guid.NewGuid().ToString("N"));

        await PipeAsync(raw);
        var (code, output, _) = await PipeAsync(raw);

        Assert.Equal(0, code);
        Assert.StartsWith("Already imported", output);
        Assert.Equal(2, await RepliesAsync(ticket.Id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("this is not an e-mail at all")]
    [InlineData("\u0000\u0001\u0002 binary garbage \u00ff")]
    public async Task A_malformed_message_is_refused_with_a_clear_message_and_exit_code_and_nothing_is_written(string raw)
    {
        var before = await portal.WithDbAsync(db => Task.FromResult((db.Tickets.Count(), db.TicketReplies.Count(), db.EmailMessages.Count(), db.ActivityLog.Count())));

        var (code, output, error) = await PipeAsync(raw);

        Assert.Equal(ImportMailVerb.Refused, code);
        Assert.Contains("import-mail:", error);
        Assert.Contains(Portal.Features.Support.ImportMail.Malformed, error);
        Assert.Equal("", output);
        Assert.Equal(before, await portal.WithDbAsync(db => Task.FromResult((db.Tickets.Count(), db.TicketReplies.Count(), db.EmailMessages.Count(), db.ActivityLog.Count()))));
    }

    [Fact]
    public async Task A_failure_that_is_no_refusal_exits_75_with_the_reason_and_writes_nothing()
    {
        var department = await portal.DepartmentAsync("Failing Desk");
        var before = await portal.WithDbAsync(db => Task.FromResult((db.Tickets.Count(), db.TicketReplies.Count(), db.EmailMessages.Count())));
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await slice.ExecuteScopeAsync(services => ImportMailVerb.RunAsync(
            new FailingImport(services.GetRequiredService<Mediator.ISender>()), new MemoryStream(Encoding.UTF8.GetBytes(Mail(PortalFixture.UniqueEmail(), department.Email, "Poison", FailingImport.Poison))), output, error));

        Assert.Equal(ImportMailVerb.TryLater, code);
        Assert.StartsWith("import-mail: the message could not be stored, try again later: InvalidOperationException: The database rejected a value", error.ToString());
        Assert.Equal("", output.ToString());
        Assert.Equal(before, await portal.WithDbAsync(db => Task.FromResult((db.Tickets.Count(), db.TicketReplies.Count(), db.EmailMessages.Count()))));
    }

    [Fact]
    public async Task A_message_with_no_reference_to_no_department_is_refused_and_nothing_is_written()
    {
        var before = await portal.WithDbAsync(db => db.Tickets.CountAsync());

        var (code, _, error) = await PipeAsync(Mail(PortalFixture.UniqueEmail(), PortalFixture.UniqueEmail("nobody"), "Hello", "Anyone?"));

        Assert.Equal(ImportMailVerb.Refused, code);
        Assert.Contains("not addressed to a support department", error);
        Assert.Equal(before, await portal.WithDbAsync(db => db.Tickets.CountAsync()));
    }

    [Fact]
    public async Task Script_and_header_tricks_in_inbound_mail_stay_text()
    {
        var department = await portal.DepartmentAsync("Script Dept");
        // Authenticated by the receiving server, so that the stranger gets the acknowledgement whose escaping is checked below.
        var (code, _, _) = await PipeAsync(Mail(PortalFixture.UniqueEmail("guest"), department.Email, "<script>alert(1)</script> =?utf-8?B?TGluZQpCcmVhaw==?=", "<img src=x onerror=alert(2)>\u202Eevil",
            $"Authentication-Results: {PortalFactory.TrustedAuthServId}; dkim=pass header.d=example.test\r\n"));
        Assert.Equal(0, code);
        var ticket = await portal.WithDbAsync(db => db.Tickets.Include(t => t.Replies).SingleAsync(t => t.DepartmentId == department.Id));
        Assert.DoesNotContain('\n', ticket.Subject);
        Assert.StartsWith("<script>alert(1)</script>", ticket.Subject);
        Assert.DoesNotContain('\u202E', ticket.Replies[0].Message);

        using var admin = await portal.CreateAdminBrowserAsync();
        var page = await admin.GetAsync($"/admin/tickets/{ticket.Id}");
        Assert.Empty(page.Document.QuerySelectorAll("main script, main img"));
        Assert.Equal("Guest", page.Document.QuerySelector("[data-badge]")!.TextContent);
        var ack = await portal.WithDbAsync(db => db.EmailMessages.SingleAsync(m => m.Subject.Contains(ticket.Reference)));
        Assert.DoesNotContain("<script>", ack.HtmlBody);
    }
}
