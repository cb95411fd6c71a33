using Microsoft.EntityFrameworkCore;
using Portal.Features.Support;
using Portal.Infrastructure.Data.Support;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Support;

/// <summary>
/// Issue 24: the corpus of inbound mail as other mail programs write it, through the same import as <c>import-mail</c>
/// and the IMAP job. Each case is stored as a person would read it in their mail program, and always fits.
/// </summary>
[Collection(SupportCollection.Name)]
public sealed class InboundMailCorpusTests(PortalFixture portal)
{
    private async Task<ImportMail.Result> ImportAsync(byte[] raw) => await portal.SendAsync(new ImportMail.Command(raw));

    private Task<Ticket> OpenedAsync(int ticketId) =>
        portal.WithDbAsync(db => db.Tickets.Include(t => t.Replies).SingleAsync(t => t.Id == ticketId));

    /// <summary>A new ticket from a stranger in a department of its own; answers the stored ticket and its one message.</summary>
    private async Task<(Ticket Ticket, string Message)> OpenAsync(Func<string, string, byte[]> message)
    {
        var department = await portal.DepartmentAsync("Corpus " + Guid.NewGuid().ToString("N")[..6]);
        var result = await ImportAsync(message(PortalFixture.UniqueEmail("corpus"), department.Email));
        Assert.Equal(ImportMail.Outcome.Opened, result.Outcome);
        var ticket = await OpenedAsync(result.TicketId!.Value);
        return (ticket, Assert.Single(ticket.Replies).Message);
    }

    /// <summary>A reply by the ticket's requester; answers the stored message.</summary>
    private async Task<string> ReplyAsync(string file)
    {
        var (owner, client) = await portal.CreateOwnerAsync("Corpus Co");
        var ticket = await portal.TicketAsync(client.Id, owner.AsSender(), "Domain move");
        var result = await ImportAsync(MailCorpus.Load(file, owner.Email!, "support@example.test", $"Re: [#{ticket.Reference}] Domain move"));
        Assert.Equal(ImportMail.Outcome.Replied, result.Outcome);
        return await portal.WithDbAsync(db => db.TicketReplies.Where(r => r.TicketId == ticket.Id).OrderByDescending(r => r.Id).Select(r => r.Message).FirstAsync());
    }

    public static TheoryData<string> Charsets() => [.. MailCorpus.LegacyCharsets.Select(c => c.Charset)];

    [Theory]
    [MemberData(nameof(Charsets))]
    public async Task A_legacy_charset_is_read_in_subject_display_name_and_body(string charset)
    {
        var legacy = MailCorpus.LegacyCharsets.Single(c => c.Charset == charset);

        var (ticket, message) = await OpenAsync((from, to) => MailCorpus.LegacyMessage(legacy, from, to));

        Assert.Equal((legacy.Subject, legacy.Name, legacy.Body), (ticket.Subject, ticket.RequesterName, message));
    }

    [Fact]
    public async Task Windows_1252_smart_quotes_and_the_euro_sign_are_not_stored_as_escapes()
    {
        var (ticket, message) = await OpenAsync((from, to) => MailCorpus.Load("windows-1252.eml", from, to, ""));

        Assert.Equal(("“Quoted” price € 5 – café", "Renée “Boss” Müller"), (ticket.Subject, ticket.RequesterName));
        Assert.Equal("It costs €5 – isn’t that “cheap”? Naïve café …", message);
        Assert.DoesNotContain("\\u0", ticket.Subject + ticket.RequesterName + message);
    }

    [Fact]
    public async Task Text_enriched_becomes_its_text()
    {
        var (_, message) = await OpenAsync((from, to) => MailCorpus.Load("enriched.eml", from, to, "Order form"));

        Assert.Equal("Our order form is broken since Monday.\nThe total shows <zero>.", message);
    }

    [Fact]
    public async Task A_forwarded_message_is_kept_as_a_quoted_block_with_its_headers()
    {
        var (_, message) = await OpenAsync((from, to) => MailCorpus.Load("forwarded.eml", from, to, "Fwd: The original question"));

        Assert.StartsWith("Please see the vendor's answer below.\n\n> ---------- Forwarded message ----------\n> From: Victor Vendor <victor@vendor.example>\n", message);
        Assert.Contains("> Date: Fri, 27 Nov 2026 16:30:00 +0000\n> Subject: The original question\n", message);
        Assert.EndsWith(">\n> Original text of the forwarded mail.\n> Second line of it.", message);
    }

    [Fact]
    public async Task A_body_that_is_only_a_forwarded_message_is_kept()
    {
        var (_, message) = await OpenAsync((from, to) => MailCorpus.Load("forwarded-body.eml", from, to, "Fwd: whole"));

        Assert.Contains("> Subject: Forwarded as the whole body", message);
        Assert.Contains("> Only the forwarded message is in this mail.", message);
    }

    [Fact]
    public async Task Every_message_of_a_digest_is_kept_in_order()
    {
        var (_, message) = await OpenAsync((from, to) => MailCorpus.Load("digest.eml", from, to, "Digest"));

        var positions = new[] { "Three messages from our list", "> Subject: Digest message one", "> First digest body.", "> Subject: Digest message two",
            "> Second digest body.", "> Subject: Digest message three", "> Third digest body." }.Select(p => message.IndexOf(p, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public async Task Every_text_part_is_kept_in_order_and_the_attachment_between_them_is_noted()
    {
        var (_, message) = await OpenAsync((from, to) => MailCorpus.Load("several-parts.eml", from, to, "Three things"));

        Assert.Equal("Part one: the server.\n\nPart two: the backups.\n\nPart three: the invoice.\n\n[1 attachment(s) not imported: report.pdf]", message);
    }

    [Fact]
    public async Task Five_hundred_text_parts_are_all_kept()
    {
        var (_, message) = await OpenAsync((from, to) => MailCorpus.ManyTextParts(500, from, to, "Many parts"));

        Assert.All(Enumerable.Range(1, 500), i => Assert.Contains($"Part {i}.", message));
        Assert.True(message.IndexOf("Part 499.", StringComparison.Ordinal) < message.IndexOf("Part 500.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_inline_image_is_noted_and_its_text_around_it_kept()
    {
        var (_, message) = await OpenAsync((from, to) => MailCorpus.Load("inline-image.eml", from, to, "Screenshot"));

        Assert.Equal("The error looks like this:\n[screenshot]\nCan you help?\n\n[1 attachment(s) not imported: screenshot.png (inline image, image/png)]", message);
    }

    [Fact]
    public async Task An_html_table_mail_reads_row_by_row_without_its_title_or_blank_runs()
    {
        var (_, message) = await OpenAsync((from, to) => MailCorpus.Load("html-table.eml", from, to, "Charges"));

        Assert.Equal("Here is what we were charged:\nItem | Qty | Price\nDisk | 2 | 40.00\nRAM | 4 | 80.00\n\nPlease check the second line.", message);
        Assert.DoesNotContain("Only The Title", message);
    }

    [Fact]
    public async Task A_body_longer_than_a_ticket_message_is_cut_and_says_so()
    {
        var (_, message) = await OpenAsync((from, to) => MailCorpus.LongBody(1_000, from, to, "Log"));

        Assert.True(message.Length <= SupportLengths.Message, $"{message.Length} characters");
        Assert.StartsWith("Line 000001 of a very long log", message);
        Assert.EndsWith("characters a ticket message holds. The whole e-mail is with the mail server.]", message);
    }

    [Fact]
    public async Task Four_hundred_attachment_names_still_fit_the_message_column()
    {
        var (_, message) = await OpenAsync((from, to) => MailCorpus.ManyAttachments(400, from, to, "Scans"));

        Assert.True(message.Length <= SupportLengths.Message, $"{message.Length} characters");
        Assert.StartsWith("The scans are attached.\n\n[400 attachment(s) not imported: scan-0001-", message);
        Assert.Contains(" more]", message);
    }

    [Fact]
    public async Task Two_long_Message_IDs_that_share_400_characters_are_two_messages_and_each_imports_once()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        var ticket = await portal.TicketAsync(client.Id, owner.AsSender());
        var shared = new string('m', 420) + Guid.NewGuid().ToString("N");
        byte[] Mail(string id, string body) => MailCorpus.WithMessageId(id, owner.Email!, "support@example.test", $"Re: [#{ticket.Reference}]", body);

        var first = await ImportAsync(Mail(shared + "-first@corpus.example.test", "First of two."));
        var second = await ImportAsync(Mail(shared + "-second@corpus.example.test", "Second of two."));
        var again = await ImportAsync(Mail(shared + "-first@corpus.example.test", "First of two."));

        Assert.Equal((ImportMail.Outcome.Replied, ImportMail.Outcome.Replied, ImportMail.Outcome.Duplicate), (first.Outcome, second.Outcome, again.Outcome));
        var messages = await portal.WithDbAsync(db => db.TicketReplies.Where(r => r.TicketId == ticket.Id).OrderBy(r => r.Id).Select(r => r.Message).ToListAsync());
        Assert.Equal(["It jams on every page.", "First of two.", "Second of two."], messages);
    }

    [Fact]
    public async Task A_quote_the_writer_kept_stays_and_only_the_trailing_quoted_reply_goes() =>
        Assert.Equal("You asked:\n> Can I move the domain myself?\nYes, and I did it this morning.", await ReplyAsync("quote-keep-worthy.eml"));

    [Fact]
    public async Task Lines_that_only_look_like_a_quote_header_keep_everything_after_them() =>
        Assert.Equal("The totals are below.\n_____\nFrom: billing@vendor.example the sum is 40.00\nSent: by courier on Friday\nPlease correct the second line.",
            await ReplyAsync("quote-header-lookalikes.eml"));

    [Fact]
    public async Task A_forward_inside_a_reply_is_kept_whole()
    {
        var message = await ReplyAsync("quote-forward-in-reply.eml");

        Assert.StartsWith("FYI, the registrar's answer below.", message);
        Assert.EndsWith("The transfer code is sent to the owner's address.", message);
    }

    [Fact]
    public async Task An_unquoted_copy_of_the_portals_mail_is_cut_at_its_reply_marker()
    {
        var message = await ReplyAsync("quote-outlook-marker.eml");

        Assert.Equal("Thanks, that fixed it.", message);
    }

    [Fact]
    public async Task A_new_ticket_keeps_the_conversation_it_quotes()
    {
        var (_, message) = await OpenAsync((from, to) => System.Text.Encoding.UTF8.GetBytes(
            $"From: <{from}>\r\nTo: {to}\r\nSubject: Question\r\nMessage-ID: <{MailCorpus.UniqueId()}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
            "My colleague asked this:\r\n\r\nOn Fri, 27 Nov 2026, Colleague <c@client.example> wrote:\r\n> Does the plan include backups?\r\n"));

        Assert.EndsWith("> Does the plan include backups?", message);
    }
}
