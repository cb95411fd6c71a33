using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Portal.Infrastructure.Cli;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Tests.Infrastructure;
using Portal.Features.Shared;
using Portal.Features.Support;

namespace Portal.Tests.Features.Support;

/// <summary>Ticket mail as it leaves the portal: marked as automatic (RFC 3834), and with no header a subject could forge.</summary>
[Collection(SupportCollection.Name)]
public sealed class TicketMailHeaderTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    /// <summary>The message exactly as the transport would write it, parsed back as a receiving server would.</summary>
    private static MimeMessage AsReceived(EmailMessage row)
    {
        using var stream = new MemoryStream();
        MimeMessages.From(row, "Portal <no-reply@portal.test>").WriteTo(stream);
        stream.Position = 0;
        return MimeMessage.Load(stream);
    }

    private Task<EmailMessage> LatestToAsync(string to) =>
        portal.WithDbAsync(db => db.EmailMessages.AsNoTracking().Where(m => m.To == to).OrderByDescending(m => m.Id).FirstAsync());

    [Fact]
    public async Task The_acknowledgement_of_a_mailed_ticket_is_auto_replied_and_a_line_break_in_its_subject_forges_no_header()
    {
        var department = await portal.DepartmentAsync("Headers");
        var sender = PortalFixture.UniqueEmail("crlf");
        // An encoded word decodes to CR LF: a naive writer would start a Bcc header with it.
        // Authenticated by the receiving server: only such senders (or known ones) are acknowledged.
        var raw = $"From: Someone <{sender}>\r\nTo: {department.Email}\r\nSubject: =?utf-8?Q?Hello=0D=0ABcc:_victim@example.test?=\r\n" +
            $"Authentication-Results: {PortalFactory.TrustedAuthServId}; dkim=pass header.d=example.test\r\n" +
            $"Message-ID: <{Guid.NewGuid():N}@mail.example.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHi.\r\n";
        var code = await slice.ExecuteScopeAsync(services =>
            ImportMailVerb.RunAsync(services.GetRequiredService<Mediator.ISender>(), new MemoryStream(Encoding.UTF8.GetBytes(raw)), new StringWriter(), new StringWriter()));
        Assert.Equal(0, code);

        var received = AsReceived(await LatestToAsync(sender));

        Assert.Equal("auto-replied", received.Headers[HeaderId.AutoSubmitted]);
        Assert.Null(received.Headers[HeaderId.Bcc]);
        Assert.Empty(received.Bcc);
        Assert.DoesNotContain('\n', received.Subject ?? "");
        Assert.Contains("Hello", received.Subject);
    }

    [Fact]
    public async Task A_staff_answer_is_auto_generated_and_a_guests_link_auto_replied()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Answer Headers Co");
        var ticket = await portal.TicketAsync(client.Id, owner.AsSender(), "Needs an answer");
        using var admin = await portal.CreateAdminBrowserAsync();
        await admin.SubmitAsync($"/admin/tickets/{ticket.Id}", new() { ["Input.Message"] = "Here you go." }, "form[data-answer]");

        Assert.Equal("auto-generated", AsReceived(await LatestToAsync(owner.Email!)).Headers[HeaderId.AutoSubmitted]);

        await portal.DepartmentAsync("Guest Headers");
        var guest = PortalFixture.UniqueEmail("guest-headers");
        using var browser = portal.NewBrowser();
        await browser.SubmitAsync("/support/guest", new() { ["Input.Name"] = "G", ["Input.Email"] = guest, ["Input.Subject"] = "Hi", ["Input.Message"] = "Hello" });
        Assert.Equal("auto-replied", AsReceived(await LatestToAsync(guest)).Headers[HeaderId.AutoSubmitted]);
    }

    [Fact]
    public async Task A_staff_answer_can_be_answered_as_it_says_signed_as_the_page_signs_it_with_its_line_breaks_kept()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Answerable Mail Co");
        var ticket = await portal.TicketAsync(client.Id, owner.AsSender(), "Answer me by mail");
        var department = await portal.WithDbAsync(db => db.Departments.Where(d => d.Id == ticket.DepartmentId).Select(d => d.Email).SingleAsync());
        using var admin = await portal.CreateAdminBrowserAsync();
        await admin.SubmitAsync($"/admin/tickets/{ticket.Id}", new() { ["Input.Message"] = "First line.\r\nSecond line." }, "form[data-answer]");

        var received = AsReceived(await LatestToAsync(owner.Email!));

        Assert.Equal(department, Assert.Single(received.ReplyTo.Mailboxes).Address);
        Assert.Contains("Reply to this e-mail", received.TextBody);
        Assert.Contains("Support answered your ticket", received.TextBody);
        Assert.Contains("First line.<br>Second line.", received.HtmlBody);
        Assert.Contains("<html lang=\"en\">", received.HtmlBody);
        var thread = await (await portal.LoginAsync(owner.Email!)).GetAsync($"/tickets/{ticket.Id}");
        Assert.Contains("Support", thread.Document.QuerySelector("main")!.TextContent);
    }

    [Fact]
    public async Task Mail_that_asks_for_no_reply_has_no_reply_to()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        await portal.SendAsync(new Portal.Features.Identity.ForgotPassword.Command { Email = owner.Email });

        Assert.Empty(AsReceived(await LatestToAsync(owner.Email!)).ReplyTo);
    }

    [Fact]
    public async Task Mail_that_is_not_about_tickets_carries_no_auto_submitted_header()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        await portal.SendAsync(new Portal.Features.Identity.ForgotPassword.Command { Email = owner.Email });

        Assert.Null(AsReceived(await LatestToAsync(owner.Email!)).Headers[HeaderId.AutoSubmitted]);
    }

    [Fact]
    public void A_subject_holding_a_line_break_in_the_outbox_is_written_on_one_line()
    {
        var row = new EmailMessage("to@example.test", "Order\r\nBcc: victim@example.test", "Body", "<p>Body</p>", DateTimeOffset.UtcNow);

        var received = AsReceived(row);

        Assert.Empty(received.Bcc);
        Assert.Equal("Order Bcc: victim@example.test", received.Subject);
    }
}
