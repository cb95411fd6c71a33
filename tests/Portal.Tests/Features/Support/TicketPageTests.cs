using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Tests.Infrastructure;
using Portal.Features.Support;
using Portal.Features.Membership;

namespace Portal.Tests.Features.Support;

[Collection(SupportCollection.Name)]
public sealed class TicketPageTests(PortalFixture portal)
{
    [Fact]
    public async Task A_user_with_the_tickets_permission_opens_a_ticket_which_is_logged_and_acknowledged_by_mail()
    {
        var department = await portal.DepartmentAsync("Technical");
        var (_, client) = await portal.CreateOwnerAsync("Open Ticket Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        using var browser = await portal.LoginAsync(member.Email!);

        var response = await browser.SubmitAsync("/tickets/new", new()
        {
            ["Input.DepartmentId"] = department.Id.ToString(), ["Input.Subject"] = "Site is down", ["Input.Priority"] = "High", ["Input.Message"] = "Since 9 am.",
        });

        var ticket = await portal.WithDbAsync(db => db.Tickets.Include(t => t.Replies).SingleAsync(t => t.ClientId == client.Id));
        Assert.Equal($"/tickets/{ticket.Id}", response.Headers.Location!.PathAndQuery());
        Assert.Equal(("Site is down", TicketPriority.High, TicketStatus.Open, member.Id), (ticket.Subject, ticket.Priority, ticket.Status, ticket.RequesterUserId!.Value));
        Assert.Equal("Since 9 am.", Assert.Single(ticket.Replies).Message);
        var mail = await portal.WithDbAsync(db => db.EmailMessages.SingleAsync(m => m.ClientId == client.Id && m.To == member.Email));
        Assert.Equal($"[#{ticket.Reference}] Site is down", mail.Subject);
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.ClientId == client.Id && e.UserId == member.Id && e.Description.Contains($"#{ticket.Reference} opened"))));

        var page = await browser.FollowAsync(response);
        Assert.Equal($"#{ticket.Reference}", page.Document.QuerySelector("[data-reference]")!.TextContent);
        Assert.Equal("You", page.Document.QuerySelector("[data-from]")!.TextContent);
    }

    [Fact]
    public async Task Every_user_with_the_permission_sees_and_answers_the_accounts_tickets_and_closes_them()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Shared Tickets Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        var ticket = await portal.TicketAsync(client.Id, owner.AsSender(), "Owner's question");
        await portal.ReplyAsync(ticket.Id, new Sender("ops@example.test", "Sam", AdminId: 1), "An answer.");
        using var browser = await portal.LoginAsync(member.Email!);

        var list = await browser.GetAsync("/tickets");
        Assert.Contains("Owner's question", list.Document.QuerySelector($"[data-ticket-id='{ticket.Id}']")!.TextContent);
        var reply = await browser.SubmitAsync($"/tickets/{ticket.Id}", new() { ["Input.Message"] = "Thanks, still broken." });
        Assert.Equal($"/tickets/{ticket.Id}", reply.Headers.Location!.PathAndQuery());
        var thread = await browser.FollowAsync(reply);
        Assert.Equal([owner.FullName, "Support", "You"], thread.Document.QuerySelectorAll("[data-from]").Select(e => e.TextContent));
        Assert.Equal(TicketStatus.CustomerReply, await portal.WithDbAsync(db => db.Tickets.Where(t => t.Id == ticket.Id).Select(t => t.Status).SingleAsync()));

        await browser.SubmitAsync($"/tickets/{ticket.Id}", [], "form[action*='handler=Close']");
        Assert.Equal(TicketStatus.Closed, await portal.WithDbAsync(db => db.Tickets.Where(t => t.Id == ticket.Id).Select(t => t.Status).SingleAsync()));
        var closed = await browser.GetAsync("/tickets?status=Closed");
        Assert.NotNull(closed.Document.QuerySelector($"[data-ticket-id='{ticket.Id}']"));
        Assert.Null((await browser.GetAsync("/tickets?status=Open")).Document.QuerySelector($"[data-ticket-id='{ticket.Id}']"));
    }

    [Fact]
    public async Task Internal_notes_never_reach_the_client_area()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        var ticket = await portal.TicketAsync(client.Id, owner.AsSender());
        await portal.WithDbAsync(async db =>
        {
            (await db.Tickets.SingleAsync(t => t.Id == ticket.Id)).AddInternalNote(1, "Sam", "ops@example.test", "Secret staff remark", portal.Factory.Time.GetUtcNow());
            await db.SaveChangesAsync();
        });
        using var browser = await portal.LoginAsync(owner.Email!);

        var page = await browser.GetAsync($"/tickets/{ticket.Id}");

        Assert.DoesNotContain("Secret staff remark", page.Text);
    }

    [Fact]
    public async Task Another_accounts_ticket_is_not_found_and_cannot_be_answered_or_closed()
    {
        var (stranger, strangerClient) = await portal.CreateOwnerAsync("Stranger Co");
        var ticket = await portal.TicketAsync(strangerClient.Id, stranger.AsSender(), "Private matter");
        var (owner, _) = await portal.CreateOwnerAsync("Nosy Co");
        using var browser = await portal.LoginAsync(owner.Email!);
        var token = await browser.AntiforgeryTokenAsync("/tickets");

        var page = await browser.GetAsync($"/tickets/{ticket.Id}");
        var reply = await browser.PostAsync($"/tickets/{ticket.Id}", [new("__RequestVerificationToken", token), new("Input.Message", "Hijack")]);
        var close = await browser.PostAsync($"/tickets/{ticket.Id}?handler=Close", [new("__RequestVerificationToken", token)]);

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.DoesNotContain("Private matter", page.Text);
        Assert.Equal(HttpStatusCode.NotFound, reply.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, close.StatusCode);
        var stored = await portal.WithDbAsync(db => db.Tickets.Include(t => t.Replies).SingleAsync(t => t.Id == ticket.Id));
        Assert.Equal((TicketStatus.Open, 1), (stored.Status, stored.Replies.Count));
    }

    [Fact]
    public async Task Without_the_tickets_permission_the_pages_are_refused_and_nothing_is_written()
    {
        var department = await portal.DepartmentAsync();
        var (owner, client) = await portal.CreateOwnerAsync();
        var ticket = await portal.TicketAsync(client.Id, owner.AsSender());
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Invoices);
        using var browser = await portal.LoginAsync(member.Email!);
        var token = await browser.AntiforgeryTokenAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/tickets")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync($"/tickets/{ticket.Id}")).Status);
        var refused = await browser.GetAsync("/tickets/new");
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.NotNull(refused.Document.QuerySelector("[data-forbidden]"));
        Assert.Contains("View & Pay Invoices", refused.Document.QuerySelector("[data-held-permissions]")!.TextContent);
        var open = await browser.PostAsync("/tickets/new", [new("__RequestVerificationToken", token), new("Input.DepartmentId", department.Id.ToString()), new("Input.Subject", "S"), new("Input.Message", "M")]);
        var reply = await browser.PostAsync($"/tickets/{ticket.Id}", [new("__RequestVerificationToken", token), new("Input.Message", "M")]);
        var close = await browser.PostAsync($"/tickets/{ticket.Id}?handler=Close", [new("__RequestVerificationToken", token)]);

        Assert.Equal(HttpStatusCode.Forbidden, open.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, reply.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, close.StatusCode);
        Assert.Equal(TicketStatus.Open, await portal.WithDbAsync(db => db.Tickets.Where(t => t.Id == ticket.Id).Select(t => t.Status).SingleAsync()));
        Assert.Equal(1, await portal.WithDbAsync(db => db.Tickets.CountAsync(t => t.ClientId == client.Id)));
        Assert.Equal(1, await portal.WithDbAsync(db => db.TicketReplies.CountAsync(r => r.TicketId == ticket.Id)));
    }

    [Fact]
    public async Task A_hidden_department_cannot_be_chosen_and_an_empty_message_is_refused_beside_its_field()
    {
        var hidden = await portal.DepartmentAsync("Abuse", hidden: true);
        await portal.DepartmentAsync("Sales");
        var (owner, client) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(owner.Email!);

        var form = await browser.GetAsync("/tickets/new");
        Assert.DoesNotContain(form.Document.QuerySelectorAll("select[name='Input.DepartmentId'] option"), o => o.GetAttribute("value") == hidden.Id.ToString());
        var refused = await browser.FollowAsync(await browser.SubmitAsync(form, new() { ["Input.DepartmentId"] = hidden.Id.ToString(), ["Input.Subject"] = "S", ["Input.Message"] = "" }));

        Assert.Contains(refused.FieldErrors, e => e.Contains("Message"));
        Assert.Equal(0, await portal.WithDbAsync(db => db.Tickets.CountAsync(t => t.ClientId == client.Id)));
    }

    [Fact]
    public async Task Script_in_a_subject_and_message_is_shown_as_text_and_a_line_break_in_a_subject_is_refused()
    {
        var department = await portal.DepartmentAsync();
        var (owner, client) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(owner.Email!);

        var refused = await browser.FollowAsync(await browser.SubmitAsync("/tickets/new", new()
        {
            ["Input.DepartmentId"] = department.Id.ToString(), ["Input.Subject"] = "Hello\r\nBcc: victim@example.test", ["Input.Message"] = "Hi",
        }));
        Assert.Contains(refused.FieldErrors, e => e.Contains("control characters"));
        Assert.Equal(0, await portal.WithDbAsync(db => db.Tickets.CountAsync(t => t.ClientId == client.Id)));

        var response = await browser.SubmitAsync("/tickets/new", new()
        {
            ["Input.DepartmentId"] = department.Id.ToString(), ["Input.Subject"] = "<script>alert(1)</script>", ["Input.Message"] = "Line one\r\n<img src=x onerror=alert(2)>",
        });
        var page = await browser.FollowAsync(response);

        Assert.Empty(page.Document.QuerySelectorAll("main script, main img"));
        Assert.Equal("<script>alert(1)</script>", page.Document.QuerySelector("[data-subject]")!.TextContent);
        Assert.Contains("<img src=x onerror=alert(2)>", page.Document.QuerySelector("[data-text]")!.TextContent);
        var mail = await portal.WithDbAsync(db => db.EmailMessages.SingleAsync(m => m.ClientId == client.Id && m.Subject.Contains("alert(1)")));
        Assert.DoesNotContain("<script>", mail.HtmlBody);
    }
}
