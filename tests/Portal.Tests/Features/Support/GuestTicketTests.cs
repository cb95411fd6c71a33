using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data.Support;
using Portal.Tests.Infrastructure;
using Portal.Features.Support;

namespace Portal.Tests.Features.Support;

[Collection(SupportCollection.Name)]
public sealed class GuestTicketTests(PortalFixture portal)
{
    private async Task<(Ticket Ticket, string Link)> OpenAsync(string subject = "Cannot log in", string? email = null)
    {
        var department = await portal.DepartmentAsync("Sales");
        email ??= PortalFixture.UniqueEmail("guest");
        using var guest = portal.NewBrowser();
        var response = await guest.SubmitAsync("/support/guest", new()
        {
            ["Input.Name"] = "Gus Guest", ["Input.Email"] = email, ["Input.DepartmentId"] = department.Id.ToString(), ["Input.Subject"] = subject, ["Input.Message"] = "Hello there.",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var ticket = await portal.WithDbAsync(db => db.Tickets.Include(t => t.Replies).SingleAsync(t => t.RequesterEmail == email));
        var confirmation = (await guest.FollowAsync(response)).Document.QuerySelector("[data-flash]")!.TextContent;
        Assert.Contains($"Your ticket {ticket.PublicReference} has been opened", confirmation);
        var link = Mailbox.LinkIn(Assert.Single(await portal.MessagesToAsync(email)), "/support/ticket/")!;
        return (ticket, link);
    }

    [Fact]
    public async Task A_guest_opens_a_ticket_without_a_login_and_gets_a_private_link_stored_only_as_a_hash()
    {
        var (ticket, link) = await OpenAsync();

        Assert.Null(ticket.ClientId);
        Assert.Equal(("Cannot log in", "Gus Guest", TicketStatus.Open), (ticket.Subject, ticket.RequesterName, ticket.Status));
        var token = link["/support/ticket/".Length..];
        Assert.True(token.Length >= 43, "a 256-bit token");
        Assert.Equal(Portal.Infrastructure.Auth.Tokens.Hash(token), ticket.GuestTokenHash);
        Assert.False(await portal.WithDbAsync(db => db.Tickets.AnyAsync(t => t.GuestTokenHash == token)));
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.Description.Contains($"Guest ticket #{ticket.Reference} opened"))));
    }

    [Fact]
    public async Task The_link_opens_its_own_ticket_and_the_guest_replies_there()
    {
        var (ticket, link) = await OpenAsync("Own ticket");
        var (other, _) = await OpenAsync("Someone else's ticket");
        using var guest = portal.NewBrowser();

        var page = await guest.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("no-referrer", page.Response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal($"#{ticket.Reference}", page.Document.QuerySelector("[data-reference]")!.TextContent);
        Assert.DoesNotContain(other.Reference, page.Text);
        Assert.Equal("You", page.Document.QuerySelector("[data-from]")!.TextContent);
        // Dated as every other thread is: the sentence form, in the provider's zone, naming it.
        Assert.Matches(@"^\d{1,2} [A-Z][a-z]+ \d{4} \d{2}:\d{2} [A-Za-z_/+-]+$", page.Document.QuerySelector("[data-at]")!.TextContent);

        var response = await guest.SubmitAsync(page, new() { ["Input.Message"] = "Any news?" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var thread = await guest.FollowAsync(response);
        Assert.Equal(["Hello there.", "Any news?"], thread.Document.QuerySelectorAll("[data-text]").Select(t => t.TextContent));
        var saved = await portal.WithDbAsync(db => db.Tickets.Include(t => t.Replies).SingleAsync(t => t.Id == ticket.Id));
        Assert.Equal(TicketStatus.CustomerReply, saved.Status);
        Assert.Equal(saved.RequesterEmail, saved.Replies.OrderBy(r => r.Id).Last().SenderEmail);
        Assert.Single(await portal.WithDbAsync(db => db.TicketReplies.Where(r => r.TicketId == other.Id).ToListAsync()));
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("truncated")]
    [InlineData("empty")]
    public async Task A_wrong_token_is_not_found_and_writes_nothing(string kind)
    {
        var (ticket, link) = await OpenAsync();
        var token = link["/support/ticket/".Length..];
        var wrong = kind switch
        {
            "tampered" => (token[0] == 'A' ? "B" : "A") + token[1..],
            "truncated" => token[..^4],
            _ => "",
        };
        using var guest = portal.NewBrowser();
        var antiforgery = await guest.AntiforgeryTokenAsync("/support/guest");

        Assert.Equal(HttpStatusCode.NotFound, (await guest.GetAsync("/support/ticket/" + wrong)).Status);
        var post = await guest.PostAsync("/support/ticket/" + wrong, [new("__RequestVerificationToken", antiforgery), new("Input.Message", "Let me in")]);

        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Single(await portal.WithDbAsync(db => db.TicketReplies.Where(r => r.TicketId == ticket.Id).ToListAsync()));
    }

    [Fact]
    public async Task The_admin_sees_the_guest_badge_on_the_guests_messages()
    {
        var (ticket, link) = await OpenAsync("Badge check");
        using (var guest = portal.NewBrowser())
        {
            await guest.SubmitAsync(link, new() { ["Input.Message"] = "Following up." });
        }

        using var admin = await portal.CreateAdminBrowserAsync();
        var page = await admin.GetAsync($"/admin/tickets/{ticket.Id}");

        Assert.Equal(["Guest", "Guest"], page.Document.QuerySelectorAll("[data-badge]").Select(b => b.TextContent));
    }

    [Fact]
    public async Task A_hidden_department_is_neither_offered_nor_accepted()
    {
        var hidden = await portal.DepartmentAsync("Internal Only", hidden: true);
        await portal.DepartmentAsync("Sales");
        using var guest = portal.NewBrowser();
        var form = await guest.GetAsync("/support/guest");
        Assert.DoesNotContain(form.Document.QuerySelectorAll("select[name='Input.DepartmentId'] option"), o => o.GetAttribute("value") == hidden.Id.ToString());
        var email = PortalFixture.UniqueEmail("hidden-guest");

        var page = await Page.ReadAsync(await guest.SubmitAsync(form, new()
        {
            ["Input.Name"] = "Gus", ["Input.Email"] = email, ["Input.DepartmentId"] = hidden.Id.ToString(), ["Input.Subject"] = "Hi", ["Input.Message"] = "Hello",
        }));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Portal.Features.Support.GuestTicket.NoSuchDepartment, page.Text);
        Assert.False(await portal.WithDbAsync(db => db.Tickets.AnyAsync(t => t.RequesterEmail == email)));
    }

    [Fact]
    public async Task Guest_tickets_are_limited_per_address()
    {
        var department = await portal.DepartmentAsync("Sales");
        using var guest = portal.NewBrowser();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            var response = await guest.SubmitAsync("/support/guest", new()
            {
                ["Input.Name"] = "Flood", ["Input.Email"] = PortalFixture.UniqueEmail("flood"), ["Input.DepartmentId"] = department.Id.ToString(), ["Input.Subject"] = $"Flood {i}", ["Input.Message"] = "Spam",
            });
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Redirect, 5).Append(HttpStatusCode.TooManyRequests), statuses);
        using var another = portal.NewBrowser();
        Assert.Equal(HttpStatusCode.OK, (await another.GetAsync("/support/guest")).Status);
    }

    [Fact]
    public async Task The_token_of_a_guest_link_never_reaches_the_logs()
    {
        var (_, link) = await OpenAsync("Logged?");
        var token = link["/support/ticket/".Length..];
        using var guest = portal.NewBrowser();
        await guest.SubmitAsync(link, new() { ["Input.Message"] = "Reply for the log test." });

        Assert.Contains(portal.Factory.Logs.Lines, l => l.Contains("GuestThread"));
        Assert.DoesNotContain(portal.Factory.Logs.Lines, l => l.Contains(token));
    }
}
