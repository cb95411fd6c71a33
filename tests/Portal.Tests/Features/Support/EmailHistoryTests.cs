using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Shared;
using Portal.Features.Membership;
using Portal.Tests.Features.Membership;

namespace Portal.Tests.Features.Support;

[Collection(SupportCollection.Name)]
public sealed class EmailHistoryTests(PortalFixture portal)
{
    private Task<EmailMessage> AddMailAsync(int? clientId, string subject, string text = "Hello.", bool secret = false) =>
        portal.WithDbAsync(async db =>
        {
            var message = new EmailMessage(PortalFixture.UniqueEmail("to"), subject, text, "<p>" + text + "</p>", portal.Factory.Time.GetUtcNow(), clientId, null, "Test", secret);
            db.EmailMessages.Add(message);
            await db.SaveChangesAsync();
            return message;
        });

    [Fact]
    public async Task The_history_lists_the_accounts_emails_newest_first_in_pages_and_nothing_of_other_accounts()
    {
        var (owner, client) = await portal.CreateOwnerAsync("History Co");
        var (_, other) = await portal.CreateOwnerAsync("Other Co");
        for (var i = 1; i <= 27; i++)
        {
            await AddMailAsync(client.Id, $"History mail {i:00}");
        }

        await AddMailAsync(other.Id, "Other account's mail");
        using var browser = await portal.LoginAsync(owner.Email!);

        var first = await browser.GetAsync("/emails");
        var second = await browser.GetAsync(first.Document.QuerySelector("nav a[rel=next]")!.GetAttribute("href")!);

        var subjects = first.Document.QuerySelectorAll("[data-emails] tbody tr td:nth-child(3)").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(25, subjects.Count);
        Assert.Equal("History mail 27", subjects[0]);
        Assert.Equal("History mail 03", subjects[^1]);
        Assert.Equal(["History mail 02", "History mail 01"], second.Document.QuerySelectorAll("[data-emails] tbody tr td:nth-child(3)").Select(td => td.TextContent.Trim()));
        Assert.DoesNotContain("Other account's mail", first.Text + second.Text);
        Assert.Null(second.Document.QuerySelector("nav a[rel=next]"));
        var back = await browser.GetAsync(second.Document.QuerySelector("nav a[rel=prev]")!.GetAttribute("href")!);
        Assert.Equal("History mail 27", back.Document.QuerySelector("[data-emails] tbody tr td:nth-child(3)")!.TextContent.Trim());
    }

    [Fact]
    public async Task An_email_is_shown_as_sent_and_another_accounts_email_is_not_found()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        var (_, other) = await portal.CreateOwnerAsync();
        var mine = await AddMailAsync(client.Id, "Your invoice <script>alert(1)</script>", "Line one\nhttps://portal.test/invoices/7");
        var theirs = await AddMailAsync(other.Id, "Not yours");
        using var browser = await portal.LoginAsync(owner.Email!);

        var page = await browser.GetAsync($"/emails/{mine.Id}");

        Assert.Equal("Your invoice <script>alert(1)</script>", page.Document.QuerySelector("[data-subject]")!.TextContent);
        Assert.Null(page.Document.QuerySelector("main script"));
        Assert.Equal("Line one\nhttps://portal.test/invoices/7", page.Document.QuerySelector("[data-body]")!.TextContent);
        Assert.Null(page.Document.QuerySelector("[data-links-removed]"));
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/emails/{theirs.Id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/emails/999999999")).Status);
    }

    [Fact]
    public async Task An_invitation_in_the_history_shows_no_usable_link()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        var invited = PortalFixture.UniqueEmail("invited");
        await browser.InviteAsync(invited);
        var link = await portal.InvitationLinkAsync(invited);
        var token = link["/invite/".Length..];
        var mail = await portal.WithDbAsync(db => db.EmailMessages.SingleAsync(m => m.To == invited));
        Assert.Equal(("Invitation", true, client.Id), (mail.Kind, mail.HoldsSecretLink, mail.ClientId!.Value));

        var list = await browser.GetAsync("/emails");
        var page = await browser.GetAsync($"/emails/{mail.Id}");

        Assert.Contains(mail.Subject, list.Text);
        Assert.NotNull(page.Document.QuerySelector("[data-links-removed]"));
        Assert.Contains(EmailMessage.LinkRemoved, page.Document.QuerySelector("[data-body]")!.TextContent);
        Assert.DoesNotContain(token, await page.Response.Content.ReadAsStringAsync());
        Assert.DoesNotContain("/invite/", page.Document.QuerySelector("main")!.InnerHtml);
    }

    [Fact]
    public async Task A_reset_link_an_admin_sent_about_the_account_is_removed_from_the_history()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        await portal.SendAsync(new Portal.Features.Identity.ForgotPassword.Command { Email = owner.Email, ClientId = client.Id });
        var mail = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.To == owner.Email && m.ClientId == client.Id).OrderBy(m => m.Id).LastAsync());
        Assert.True(mail.HoldsSecretLink);
        using var browser = await portal.LoginAsync(owner.Email!);

        var page = await browser.GetAsync($"/emails/{mail.Id}");

        Assert.DoesNotContain("/password/reset", await page.Response.Content.ReadAsStringAsync());
        Assert.Contains(EmailMessage.LinkRemoved, page.Document.QuerySelector("[data-body]")!.TextContent);
    }

    [Fact]
    public async Task Without_the_emails_permission_the_history_is_refused_with_the_permissions_page()
    {
        var (_, client) = await portal.CreateOwnerAsync();
        var mail = await AddMailAsync(client.Id, "Members may not read this");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        using var browser = await portal.LoginAsync(member.Email!);
        var token = await browser.AntiforgeryTokenAsync("/dashboard");

        var list = await browser.GetAsync("/emails");
        var one = await browser.GetAsync($"/emails/{mail.Id}");
        var post = await browser.PostAsync($"/emails/{mail.Id}", [new("__RequestVerificationToken", token)]);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (list.Status, one.Status));
        Assert.NotNull(list.Document.QuerySelector("[data-forbidden]"));
        Assert.Contains("View & Open Support Tickets", list.Document.QuerySelector("[data-held-permissions]")!.TextContent);
        Assert.DoesNotContain("Members may not read this", list.Text + one.Text);
        Assert.True(post.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.MethodNotAllowed, $"POST answered {(int)post.StatusCode}");
        Assert.Null(list.Document.QuerySelector("nav a[href='/emails']"));
    }
}
