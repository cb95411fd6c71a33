using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Activity;

namespace Portal.Tests.Infrastructure.Dates;

/// <summary>Every date a user reads — pages, flash messages, e-mails and CSV files — is in their own zone, and says which.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class UserTimeZoneTests(PortalFixture portal)
{
    private Task UseZoneAsync(int userId, string zone) =>
        portal.WithDbAsync(db => db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.TimeZone, zone)));

    private static string InTokyo(DateTimeOffset at) =>
        at.ToOffset(TimeSpan.FromHours(9)).ToString("d MMMM yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " Asia/Tokyo";

    [Fact]
    public async Task A_user_chooses_a_zone_on_their_profile_and_back_the_providers_default()
    {
        var (owner, _) = await portal.CreateOwnerAsync("Zone Choosers Ltd");
        using var browser = await portal.LoginAsync(owner.Email!);
        Assert.Contains("Last login (UTC)", (await browser.GetAsync("/account/users")).Text);

        var saved = await browser.SubmitAsync("/user/profile", new() { ["Input.TimeZone"] = "America/New_York" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("Last login (America/New_York)", (await browser.GetAsync("/account/users")).Text);
        var profile = await browser.GetAsync("/user/profile");
        var field = profile.Document.QuerySelector("input[data-time-zone]")!;
        Assert.Equal("America/New_York", field.GetAttribute("value"));
        Assert.Equal("off", field.GetAttribute("data-browser-zone"));

        var refused = await Page.ReadAsync(await browser.SubmitAsync("/user/profile", new() { ["Input.TimeZone"] = "Mars/Olympus_Mons" }));
        Assert.Contains("Choose a time zone from the list.", refused.FieldErrors);

        await browser.SubmitAsync("/user/profile", new() { ["Input.TimeZone"] = "" });
        Assert.Null(await portal.WithDbAsync(db => db.Users.Where(u => u.Id == owner.Id).Select(u => u.TimeZone).SingleAsync()));
    }

    [Fact]
    public async Task The_zone_field_is_searched_by_typing_and_registration_offers_the_browsers_zone_and_keeps_it()
    {
        using var visitor = portal.NewBrowser();
        var form = await visitor.GetAsync("/register");
        var field = form.Document.QuerySelector("input[data-time-zone]")!;
        Assert.Equal("Time zone", form.Document.QuerySelector($"label[for='{field.Id}']")!.TextContent);
        Assert.Equal("on", field.GetAttribute("data-browser-zone"));
        var suggested = form.Document.GetElementById(field.GetAttribute("list")!)!.QuerySelectorAll("option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Contains("Europe/Berlin", suggested);
        Assert.Contains("America/New_York", suggested);

        // A zone the browser cannot have (typed into the request) is refused with the field's message; nothing is created.
        var strangerEmail = PortalFixture.UniqueEmail("zone-refused");
        var refused = await Page.ReadAsync(await visitor.SubmitAsync("/register", new Dictionary<string, string>(Features.Identity.RegisterTests.Form(strangerEmail)) { ["Input.TimeZone"] = "Mars/Olympus_Mons" }));
        Assert.Contains("Choose a time zone from the list.", refused.FieldErrors);
        Assert.False(await portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == strangerEmail)));

        var email = PortalFixture.UniqueEmail("zone-kept");
        var registered = await visitor.SubmitAsync("/register", new Dictionary<string, string>(Features.Identity.RegisterTests.Form(email)) { ["Input.TimeZone"] = "Asia/Tokyo" });
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        Assert.Equal("Asia/Tokyo", await portal.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.TimeZone).SingleAsync()));
        Assert.Contains("(Asia/Tokyo)", (await visitor.GetAsync("/account/activity")).Text);
    }

    [Fact]
    public async Task Pages_and_the_invitation_message_show_the_owners_zone_and_the_concrete_expiry()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Tokyo Times Ltd");
        await UseZoneAsync(owner.Id, "Asia/Tokyo");
        using var browser = await portal.LoginAsync(owner.Email!);
        var invitee = PortalFixture.UniqueEmail("invitee");

        var response = await browser.SubmitAsync("/account/users/invite", new() { ["Input.Email"] = invitee });
        var users = await browser.FollowAsync(response);

        var expires = await portal.WithDbAsync(db => db.Invitations.Where(i => i.ClientId == client.Id).Select(i => i.ExpiresAt).SingleAsync());
        Assert.Contains($"The link works until {InTokyo(expires)}.", users.Document.QuerySelector("[data-flash]")!.TextContent);
        var headings = users.Document.QuerySelectorAll("th").Select(th => th.TextContent.Trim()).ToList();
        Assert.Contains("Last login (Asia/Tokyo)", headings);
        Assert.Contains("Expires (Asia/Tokyo)", headings);
        Assert.Contains(expires.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd HH:mm"), users.Text);
        // Each date is a <time>: the moment for machines, and the exact moment with its zone on hover.
        var expiry = users.Document.QuerySelectorAll("main time").Single(t => t.TextContent == expires.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd HH:mm"));
        Assert.Equal(expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), expiry.GetAttribute("datetime"));
        Assert.Equal(expires.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd HH:mm:ss") + " Asia/Tokyo", expiry.GetAttribute("title"));
        Assert.Contains("(Asia/Tokyo)", (await browser.GetAsync("/account/activity")).Text);
    }

    [Fact]
    public async Task An_invitation_email_is_dated_in_the_zone_of_the_user_it_is_sent_to_and_otherwise_in_the_providers()
    {
        var (owner, _) = await portal.CreateOwnerAsync("Mail Zones Ltd");
        var tokyoUser = await portal.CreateUserAsync();
        await UseZoneAsync(tokyoUser.Id, "Asia/Tokyo");
        var stranger = PortalFixture.UniqueEmail("stranger");
        using var browser = await portal.LoginAsync(owner.Email!);

        await browser.SubmitAsync("/account/users/invite", new() { ["Input.Email"] = tokyoUser.Email! });
        await browser.SubmitAsync("/account/users/invite", new() { ["Input.Email"] = stranger });

        var toTokyo = Assert.Single(await portal.MessagesToAsync(tokyoUser.Email!));
        var expires = await portal.WithDbAsync(db => db.Invitations.Where(i => i.Email == tokyoUser.Email).Select(i => i.ExpiresAt).SingleAsync());
        Assert.Contains($"valid until {InTokyo(expires)}.", toTokyo.TextBody);
        var toStranger = Assert.Single(await portal.MessagesToAsync(stranger));
        Assert.Contains($"valid until {expires.UtcDateTime:d MMMM yyyy HH:mm} UTC.", toStranger.TextBody.Replace("\r\n", " ").Replace("\n", " "));
    }

    [Fact]
    public async Task The_activity_csv_writes_times_in_the_owners_zone_and_names_it_in_the_heading()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Csv Zones Ltd");
        await UseZoneAsync(owner.Id, "Asia/Tokyo");
        await portal.WithDbAsync(async db =>
        {
            db.ActivityLog.Add(new ActivityLogEntry(new DateTimeOffset(2023, 3, 1, 20, 30, 0, TimeSpan.Zero), "Late entry", client.Id, owner.Id, null, "192.0.2.1"));
            await db.SaveChangesAsync();
        });
        using var browser = await portal.LoginAsync(owner.Email!);

        // 20:30 UTC on 1 March is 05:30 on 2 March in Tokyo: the date filter is in the owner's days too.
        var response = await browser.Client.GetAsync("/account/activity?handler=Csv&from=2023-03-02&to=2023-03-02");
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n");
        var utcDay = await browser.Client.GetStringAsync("/account/activity?handler=Csv&from=2023-03-01&to=2023-03-01");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("Date (Asia/Tokyo),", lines[0]);
        Assert.StartsWith("2023-03-02 05:30:00,Late entry,", lines[1]);
        Assert.DoesNotContain("Late entry", utcDay);
        Assert.Contains("From (date in Asia/Tokyo)", (await browser.GetAsync("/account/activity")).Text);
    }

    [Fact]
    public async Task The_email_history_dates_each_email_in_the_owners_zone()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Mail History Zones Ltd");
        await UseZoneAsync(owner.Id, "Asia/Tokyo");
        using var browser = await portal.LoginAsync(owner.Email!);
        await browser.SubmitAsync("/account/users/invite", new() { ["Input.Email"] = PortalFixture.UniqueEmail("zoned") });
        var queued = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.ClientId == client.Id).OrderBy(m => m.Id).Select(m => new { m.Id, m.CreatedAt }).FirstAsync());

        var list = await browser.GetAsync("/emails");
        var one = await browser.GetAsync($"/emails/{queued.Id}");

        Assert.Contains("Date (Asia/Tokyo)", list.Document.QuerySelectorAll("th").Select(th => th.TextContent));
        Assert.Equal(queued.CreatedAt.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd HH:mm"), list.Document.QuerySelector($"[data-email-id='{queued.Id}'] [data-at]")!.TextContent);
        Assert.Equal(InTokyo(queued.CreatedAt), one.Document.QuerySelector("[data-queued]")!.TextContent);
    }
}
