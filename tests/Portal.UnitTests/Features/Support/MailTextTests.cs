using Portal.Features.Support;

namespace Portal.UnitTests.Features.Support;

public sealed class MailTextTests
{
    // Issue 24 item 4: only a trailing quoted reply is trimmed, recognised by its "On … wrote:" line or the portal's
    // reply marker. A header-looking line, a line of underscores or a ">" quote the writer kept are text, not history.
    [Theory]
    [InlineData("Thanks!\r\n\r\nOn Fri, 27 Nov 2026 at 09:00, Support <s@example.com> wrote:\r\n> old text", "Thanks!")]
    [InlineData("Thanks!\n\nOn Fri, 27 Nov 2026 at 09:00, Support <s@example.com>\nwrote:\n> old text\n>\n> more", "Thanks!")]
    [InlineData("Thanks!\n\nAm 27.11.2026 um 09:00 schrieb Support <s@example.com>:\n> alter Text", "Thanks!")]
    [InlineData("Thanks!\n\n" + Ticket.ReplyMarker + "\nSupport answered your ticket #ABC234:\nTry this.", "Thanks!")]
    [InlineData("Thanks!\n\nOn Fri, Support wrote:\n> " + Ticket.ReplyMarker + "\n> Try this.", "Thanks!")]
    [InlineData("Thanks!\n-----Original Message-----\nFrom: Support", "Thanks!\n-----Original Message-----\nFrom: Support")]
    [InlineData("Thanks!\n\nFrom: Support <support@example.com>\nSent: Friday", "Thanks!\n\nFrom: Support <support@example.com>\nSent: Friday")]
    [InlineData("Totals\n_____\nSum: 40", "Totals\n_____\nSum: 40")]
    [InlineData("> quoted first\nMy answer\n> more quoted", "> quoted first\nMy answer\n> more quoted")]
    [InlineData("You wrote:\n> the server is down\nIt is up again.\n\nOn Fri, Support wrote:\n> old", "You wrote:\n> the server is down\nIt is up again.")]
    [InlineData("On Monday I wrote:\nthe plan", "On Monday I wrote:\nthe plan")]
    [InlineData("Line one\n\nLine two", "Line one\n\nLine two")]
    public void Only_a_trailing_quoted_reply_is_trimmed(string text, string expected) => Assert.Equal(expected, MailText.TrimQuoted(text));

    [Fact]
    public void Line_breaks_stay_and_other_unsafe_characters_become_visible() =>
        Assert.Equal("a\nb\\u0007c\\u202Ed", MailText.Clean("a\r\nb\u0007c\u202Ed", 100));

    [Fact]
    public void A_header_value_is_one_line() => Assert.Equal("Subject Bcc: x", MailText.OneLine("Subject\r\nBcc: x", 100));
}

public sealed class MailHtmlTests
{
    [Fact]
    public void Html_becomes_text_without_tags_or_scripts() =>
        Assert.Equal("Hello there\nSecond & last", MailText.FromHtml("<p>Hello <b>there</b></p><script>alert(1)</script><div>Second &amp; last</div>"));

    [Fact]
    public void The_title_and_styles_stay_out_of_the_text() =>
        Assert.Equal("Body text", MailText.FromHtml("<html><head><title>Newsletter 42</title><style>p{color:red}</style></head><body><p>Body text</p></body></html>"));

    [Fact]
    public void Table_cells_are_separated_and_rows_are_lines() =>
        Assert.Equal("Item | Qty | Price\nDisk | 2 | 40.00\nRAM | 4 | 80.00",
            MailText.FromHtml("<table><tr><th>Item</th><th>Qty</th><th>Price</th></tr><tr><td>Disk</td><td>2</td><td>40.00</td></tr><tr><td>RAM</td><td>4</td><td>80.00</td></tr></table>"));

    [Fact]
    public void Runs_of_blank_lines_collapse_to_one() =>
        Assert.Equal("Top\n\nBottom", MailText.FromHtml("<div>Top</div>" + string.Concat(Enumerable.Repeat("<br>", 30)) + "<p>&nbsp;</p><p></p><div>Bottom</div>"));

    [Fact]
    public void Lists_links_and_quotes_read_as_in_a_mail_program() =>
        Assert.Equal("- one\n- two\n\nSee the guide (https://example.test/guide)\n> quoted line",
            MailText.FromHtml("<ul><li>one</li><li>two</li></ul><p>See <a href=\"https://example.test/guide\">the guide</a></p><blockquote>quoted line</blockquote>"));
}

public sealed class MailEnrichedTests
{
    [Fact]
    public void Enriched_text_loses_its_commands_and_keeps_its_line_breaks() =>
        Assert.Equal("Hello <you>, this is bold.\nNew paragraph", MailText.FromEnriched("<bold>Hello</bold> <<you>, this\nis bold.\n\nNew <param>ignored</param>paragraph"));
}

public sealed class MailFitTests
{
    [Fact]
    public void The_stored_text_with_its_notes_never_exceeds_the_column_and_a_cut_says_so()
    {
        var notes = Enumerable.Range(0, 400).Select(i => $"[attachment {i} named {new string('x', 80)}.pdf]").ToList();
        var stored = MailText.Fit(new string('a', 50_000), truncated: false, notes, 20_000);

        Assert.True(stored.Length <= 20_000, $"{stored.Length} characters");
        Assert.Contains("The message was cut here", stored);
        Assert.Contains("attachment 0 named", stored);
    }

    [Fact]
    public void A_surrogate_pair_is_never_cut_in_two() =>
        Assert.Equal("ab", MailText.Clean("ab😀", 3));
}
