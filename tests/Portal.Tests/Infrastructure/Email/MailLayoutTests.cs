using AngleSharp.Html.Parser;
using Portal.Infrastructure.Email.Templates;
using Portal.Features.Membership;
using Portal.Features.Identity;

namespace Portal.Tests.Infrastructure.Email;

public sealed class MailLayoutTests
{
    private static readonly MailBrand Brand = new("Acme Services");

    [Fact]
    public void A_rendered_mail_has_a_text_and_an_html_part_with_the_provider_action_link_and_reason()
    {
        var link = "https://portal.test/password/reset?user=7&token=abc";
        var mail = MailLayout.Render(new PasswordResetMail("Ada", "ada@example.com", link, TimeSpan.FromHours(24)), Brand);

        Assert.Equal("Reset your Acme Services password", mail.Subject);
        Assert.Contains("Hello Ada,", mail.Text);
        Assert.Contains(link, mail.Text);
        Assert.Contains("because a password reset was requested for ada@example.com", mail.Text);
        Assert.Contains("Acme Services", mail.Text);
        Assert.DoesNotContain("<", mail.Text);

        var html = new HtmlParser().ParseDocument(mail.Html);
        Assert.Equal("Acme Services", html.QuerySelector("[data-brand]")!.TextContent);
        Assert.Equal("Choose a new password", html.QuerySelector("a[data-action]")!.TextContent);
        Assert.Contains("because a password reset was requested for ada@example.com", html.QuerySelector("[data-reason]")!.TextContent);
    }

    [Fact]
    public void The_button_links_to_the_same_address_as_the_plain_link_and_the_text_part()
    {
        var link = "https://portal.test/user/verify-email?user=3&token=x-y_z";
        var mail = MailLayout.Render(new VerifyEmailMail("Ada", "ada@example.com", link, TimeSpan.FromMinutes(60)), Brand);

        var html = new HtmlParser().ParseDocument(mail.Html);
        var button = html.QuerySelector("a[data-action]")!.GetAttribute("href");
        var plain = html.QuerySelector("a[data-plain-link]")!;
        Assert.Equal(link, button);
        Assert.Equal(link, plain.GetAttribute("href"));
        Assert.Equal(link, plain.TextContent);
        Assert.Contains("\n" + link + "\n", mail.Text);
    }

    [Fact]
    public void Script_in_a_name_is_encoded_in_the_html_part()
    {
        var hostile = "<script>alert(1)</script>";
        var mail = MailLayout.Render(new InvitationMail(hostile + " Co", hostile, "invitee@example.com", "https://portal.test/invite/t", DateTimeOffset.UnixEpoch), new MailBrand(hostile));

        Assert.DoesNotContain("<script", mail.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", mail.Html);
        var html = new HtmlParser().ParseDocument(mail.Html);
        Assert.Empty(html.QuerySelectorAll("script"));
        Assert.Contains(hostile + " Co", html.Body!.TextContent);
    }

    [Theory]
    [InlineData(60, "60 minutes")]
    [InlineData(90, "90 minutes")]
    [InlineData(24 * 60, "24 hours")]
    [InlineData(2 * 60, "2 hours")]
    [InlineData(7 * 24 * 60, "7 days")]
    public void A_lifetime_is_said_in_words(int minutes, string said) =>
        Assert.Equal(said, MailLayout.Duration(TimeSpan.FromMinutes(minutes)));
}
