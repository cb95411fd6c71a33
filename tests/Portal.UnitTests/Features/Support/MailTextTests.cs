using Portal.Features.Support;

namespace Portal.UnitTests.Features.Support;

public sealed class MailTextTests
{
    [Theory]
    [InlineData("Thanks!\r\n\r\nOn Fri, 27 Nov 2026 at 09:00, Support <s@example.com> wrote:\r\n> old text", "Thanks!")]
    [InlineData("Thanks!\n-----Original Message-----\nFrom: Support", "Thanks!")]
    [InlineData("Thanks!\n\nFrom: Support <support@example.com>\nSent: Friday", "Thanks!")]
    [InlineData("> quoted first\nMy answer\n> more quoted", "My answer")]
    [InlineData("Line one\n\nLine two", "Line one\n\nLine two")]
    public void Quoted_history_is_trimmed(string text, string expected) => Assert.Equal(expected, MailText.TrimQuoted(text));

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
}
