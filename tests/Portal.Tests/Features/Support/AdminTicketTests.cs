using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;
using Portal.Features.Support;

namespace Portal.Tests.Features.Support;

[Collection(SupportCollection.Name)]
public sealed class AdminTicketTests(PortalFixture portal)
{
    [Fact]
    public async Task The_queue_pages_by_next_and_previous_links_that_keep_the_filters_and_show_each_ticket_once()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Queue Pages Co");
        var tickets = new List<int>();
        for (var i = 0; i < 27; i++)
        {
            tickets.Add((await portal.TicketAsync(client.Id, owner.AsSender(), $"Paged ticket {i}")).Id);
        }

        using var admin = await portal.CreateAdminBrowserAsync();
        var first = await admin.GetAsync($"/admin/tickets?client={client.Id}");
        var next = first.Document.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        var second = await admin.GetAsync(next);
        var back = await admin.GetAsync(second.Document.QuerySelector("a[rel=prev]")!.GetAttribute("href")!);

        static List<int> Ids(Page page) => [.. page.Document.QuerySelectorAll("[data-ticket-id]").Select(t => int.Parse(t.GetAttribute("data-ticket-id")!))];
        Assert.Contains($"client={client.Id}", next);
        Assert.Equal(25, Ids(first).Count);
        Assert.Equal(2, Ids(second).Count);
        Assert.Equal(tickets.Order(), Ids(first).Concat(Ids(second)).Order());
        Assert.Equal(Ids(first), Ids(back));
        Assert.Null(second.Document.QuerySelector("a[rel=next]"));
    }

    [Fact]
    public async Task The_queue_filters_by_status_department_client_and_search()
    {
        var department = await portal.DepartmentAsync("Queue Dept");
        var (owner, client) = await portal.CreateOwnerAsync("Queue Co");
        var marker = "Queue" + Guid.NewGuid().ToString("N")[..8];
        var ticket = await portal.TicketAsync(client.Id, owner.AsSender(), $"{marker} broken");
        using var admin = await portal.CreateAdminBrowserAsync();

        Assert.NotNull((await admin.GetAsync($"/admin/tickets?q={marker}")).Document.QuerySelector($"[data-ticket-id='{ticket.Id}']"));
        Assert.NotNull((await admin.GetAsync($"/admin/tickets?q=%23{ticket.Reference}")).Document.QuerySelector($"[data-ticket-id='{ticket.Id}']"));
        Assert.NotNull((await admin.GetAsync($"/admin/tickets?client={client.Id}&status=Open")).Document.QuerySelector($"[data-ticket-id='{ticket.Id}']"));
        Assert.Null((await admin.GetAsync($"/admin/tickets?q={marker}&status=Closed")).Document.QuerySelector($"[data-ticket-id='{ticket.Id}']"));
        Assert.Null((await admin.GetAsync($"/admin/tickets?q={marker}&department={department.Id + 1000}")).Document.QuerySelector($"[data-ticket-id='{ticket.Id}']"));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/tickets?status=<script>&department=x&client=y&p=-5")).Status);
    }

    [Fact]
    public async Task An_operator_answer_shows_the_Operator_badge_and_is_mailed_to_the_requester_the_followers_and_the_support_contacts()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Answer Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        var bystander = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, bystander.Id, Permission.Tickets);
        var contact = PortalFixture.UniqueEmail("contact");
        await portal.ContactAsync(client.Id, contact, support: true);
        var quietContact = PortalFixture.UniqueEmail("quiet");
        await portal.ContactAsync(client.Id, quietContact, support: false);
        var ticket = await portal.TicketAsync(client.Id, owner.AsSender());
        await portal.ReplyAsync(ticket.Id, member.AsSender(), "Me too.");
        using var admin = await portal.CreateAdminBrowserAsync();

        var response = await admin.SubmitAsync($"/admin/tickets/{ticket.Id}", new() { ["Input.Message"] = "Fixed now." }, "form[data-answer]");
        var page = await admin.FollowAsync(response);

        Assert.Equal(["Owner", "Authorized User", "Operator"], page.Document.QuerySelectorAll("[data-badge]").Select(b => b.TextContent));
        var recipients = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.ClientId == client.Id && m.Subject.Contains(ticket.Reference)).Select(m => m.To).ToListAsync());
        Assert.Equal(new[] { owner.Email!, member.Email!, contact }.Order(), recipients.Order());
        Assert.Equal(TicketStatus.Answered, await portal.WithDbAsync(db => db.Tickets.Where(t => t.Id == ticket.Id).Select(t => t.Status).SingleAsync()));

        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        Assert.Equal("Support", (await ownerBrowser.GetAsync($"/tickets/{ticket.Id}")).Document.QuerySelectorAll("[data-from]").Last().TextContent);
    }

    [Fact]
    public async Task Notes_status_priority_and_assignment_are_saved_and_logged()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Assign Co");
        var guest = PortalFixture.UniqueEmail("guest");
        var ticket = await portal.TicketAsync(null, new Sender(owner.Email!, "Owner by mail"));
        using var admin = await portal.CreateAdminBrowserAsync();
        Assert.Equal("Registered User", (await admin.GetAsync($"/admin/tickets/{ticket.Id}")).Document.QuerySelector("[data-badge]")!.TextContent);

        await admin.SubmitAsync($"/admin/tickets/{ticket.Id}", new() { ["NoteInput.Text"] = "Staff only" }, "form[data-note]");
        await admin.SubmitAsync($"/admin/tickets/{ticket.Id}", new() { ["UpdateInput.Status"] = "OnHold", ["UpdateInput.Priority"] = "High" }, "form[data-update]");
        var refused = await admin.FollowAsync(await admin.SubmitAsync($"/admin/tickets/{ticket.Id}", new() { ["AssignInput.ClientId"] = "999999" }, "form[data-assign]"));
        Assert.Contains(refused.FieldErrors, e => e.Contains("no client account"));
        await admin.SubmitAsync($"/admin/tickets/{ticket.Id}", new() { ["AssignInput.ClientId"] = client.Id.ToString() }, "form[data-assign]");

        var page = await admin.GetAsync($"/admin/tickets/{ticket.Id}");
        Assert.Equal(["Owner", "Operator"], page.Document.QuerySelectorAll("[data-badge]").Select(b => b.TextContent));
        Assert.NotNull(page.Document.QuerySelector("[data-internal]"));
        var stored = await portal.WithDbAsync(db => db.Tickets.SingleAsync(t => t.Id == ticket.Id));
        Assert.Equal((TicketStatus.OnHold, TicketPriority.High, (int?)client.Id), (stored.Status, stored.Priority, stored.ClientId));
        Assert.True(await portal.WithDbAsync(db => db.ActivityLog.AnyAsync(e => e.ClientId == client.Id && e.AdminId != null && e.Description.Contains($"#{ticket.Reference} assigned"))));
        Assert.Equal(0, await portal.WithDbAsync(db => db.EmailMessages.CountAsync(m => m.Subject.Contains(ticket.Reference))));
    }

    [Fact]
    public async Task Departments_are_added_edited_and_hidden_and_an_address_is_used_once()
    {
        using var admin = await portal.CreateAdminBrowserAsync();
        var email = PortalFixture.UniqueEmail("billing-dept");

        var added = await admin.SubmitAsync("/admin/support/departments", new() { ["Input.Name"] = "Billing Dept", ["Input.Email"] = email });
        Assert.Equal("/admin/support/departments", added.Headers.Location!.PathAndQuery());
        var department = await portal.WithDbAsync(db => db.Departments.SingleAsync(d => d.Email == email));
        var again = await admin.FollowAsync(await admin.SubmitAsync("/admin/support/departments", new() { ["Input.Name"] = "Copy", ["Input.Email"] = email.ToUpperInvariant() }));
        Assert.Contains(again.FieldErrors, e => e.Contains("already uses"));

        await admin.SubmitAsync($"/admin/support/departments/{department.Id}", new() { ["Input.Name"] = "Accounts", ["Input.Hidden"] = "true" });

        var saved = await portal.WithDbAsync(db => db.Departments.AsNoTracking().SingleAsync(d => d.Id == department.Id));
        Assert.Equal(("Accounts", true), (saved.Name, saved.IsHidden));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/support/departments/999999")).Status);
    }
}
