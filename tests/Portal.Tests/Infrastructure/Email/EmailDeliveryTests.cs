using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;
using Portal.Tests.Features.Membership;

namespace Portal.Tests.Infrastructure.Email;

[Collection(InfrastructureCollection.Name)]
public sealed class EmailDeliveryTests(PortalFixture portal)
{
    private const string ForgedHost = "portal.test:6666";

    private async Task<string> InviteSomeoneAsync(string company = "Mailing Co")
    {
        var (owner, _) = await portal.CreateOwnerAsync(company);
        using var browser = await portal.LoginAsync(owner.Email!);
        var invited = PortalFixture.UniqueEmail("mailed");
        var response = await browser.InviteAsync(invited);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return invited;
    }

    [Fact]
    public async Task The_invitation_email_arrives_at_a_real_smtp_server_with_a_working_link()
    {
        var invited = await InviteSomeoneAsync("Smtp Co");
        await using var smtp = await TestSmtpServer.StartAsync();

        await portal.WithDbAsync(db => TestSmtpServer.SenderFor(db, portal.Factory.Time, smtp.Port).SendPendingAsync(CancellationToken.None));

        var message = Assert.Single(smtp.To(invited));
        Assert.Equal("You have been invited to Smtp Co (Test User)", message.Subject);
        Assert.NotNull(message.HtmlBody);
        Assert.Contains("href=\"https://portal.test/invite/", message.HtmlBody);
        using var visitor = portal.NewBrowser();
        var page = await visitor.GetAsync(InvitationSteps.LinkIn(message.TextBody ?? ""));
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Smtp Co", page.Document.QuerySelector("[data-invited-to]")!.TextContent);
        Assert.NotNull(await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.To == invited).Select(m => m.SentAt).SingleAsync()));
    }

    [Fact]
    public async Task Without_an_smtp_host_the_email_is_written_to_the_pickup_folder()
    {
        var invited = await InviteSomeoneAsync("Pickup Co");
        var id = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.To == invited).Select(m => m.Id).SingleAsync());

        await using (var scope = portal.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<OutboxSender>().SendAsync(id, CancellationToken.None);
        }

        var files = Directory.GetFiles(portal.Factory.MailFolder, "*.eml");
        var file = Assert.Single(files, f => File.ReadAllText(f).Contains(invited));
        var message = await MimeKit.MimeMessage.LoadAsync(file);
        Assert.Equal("You have been invited to Pickup Co (Test User)", message.Subject);
        Assert.StartsWith("/invite/", InvitationSteps.LinkIn(message.TextBody ?? ""));
    }

    [Fact]
    public async Task With_smtp_down_the_invitation_still_exists_and_the_mail_is_delivered_once_when_it_is_back()
    {
        var port = TestSmtpServer.FreePort();
        var invited = await InviteSomeoneAsync("Outage Co");
        Assert.True(await portal.WithDbAsync(db => db.Invitations.AnyAsync(i => i.Email == invited && i.Status == InvitationStatus.Pending)));

        await portal.WithDbAsync(db => TestSmtpServer.SenderFor(db, portal.Factory.Time, port).SendPendingAsync(CancellationToken.None));
        var failed = await portal.WithDbAsync(db => db.EmailMessages.AsNoTracking().SingleAsync(m => m.To == invited));
        Assert.Null(failed.SentAt);
        Assert.Equal(1, failed.Attempts);
        Assert.NotNull(failed.LastError);

        await using var smtp = await TestSmtpServer.StartAsync(port);
        await portal.WithDbAsync(db => TestSmtpServer.SenderFor(db, portal.Factory.Time, port).SendPendingAsync(CancellationToken.None));
        await portal.WithDbAsync(db => TestSmtpServer.SenderFor(db, portal.Factory.Time, port).SendPendingAsync(CancellationToken.None));

        Assert.Single(smtp.To(invited));
        Assert.NotNull(await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.To == invited).Select(m => m.SentAt).SingleAsync()));
    }

    [Fact]
    public async Task Two_senders_at_once_deliver_a_message_only_once()
    {
        var invited = await InviteSomeoneAsync("Race Mail Co");
        await using var smtp = await TestSmtpServer.StartAsync();
        var id = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.To == invited).Select(m => m.Id).SingleAsync());

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            portal.WithDbAsync(db => TestSmtpServer.SenderFor(db, portal.Factory.Time, smtp.Port).SendAsync(id, CancellationToken.None))));

        Assert.Single(smtp.To(invited));
    }

    [Fact]
    public async Task Links_in_emails_use_the_configured_base_url_not_the_host_header()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        var page = await browser.GetAsync("/account/users/invite");
        var invited = PortalFixture.UniqueEmail("host");
        var request = new HttpRequestMessage(HttpMethod.Post, "/account/users/invite")
        {
            Content = new FormUrlEncodedContent([
                new("__RequestVerificationToken", page.Document.QuerySelector("main input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
                new("Input.Email", invited), new("Input.AllPermissions", "true")]),
        };
        // Another host is refused outright (HostAndAddressTests); another port of this one reaches the page.
        request.Headers.Host = ForgedHost;

        await browser.Client.SendAsync(request);

        var body = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.To == invited).Select(m => m.TextBody).SingleAsync());
        Assert.Contains("https://portal.test/invite/", body);
        Assert.DoesNotContain(ForgedHost, body);
    }

    [Fact]
    public async Task The_invitation_email_is_part_of_the_accounts_email_history()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        var invited = PortalFixture.UniqueEmail("history");

        await browser.InviteAsync(invited);

        Assert.Equal(client.Id, await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.To == invited).Select(m => m.ClientId).SingleAsync()));
    }
}
