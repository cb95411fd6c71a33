using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;

namespace Portal.Tests.Features.Support;

[Collection(SupportCollection.Name)]
public sealed class ContactsTests(PortalFixture portal)
{
    [Fact]
    public async Task The_contact_form_offers_invoice_and_support_mail_and_no_announcements_which_Portal_does_not_send()
    {
        var (owner, client) = await portal.CreateOwnerAsync("Contact Choices Co");
        using var browser = await portal.LoginAsync(owner.Email!);

        var form = await browser.GetAsync("/account/contacts/new");

        var choices = form.Document.QuerySelectorAll("main form input[type=checkbox]").Select(i => form.Document.QuerySelector($"label[for='{i.Id}']")!.TextContent.Trim());
        Assert.Equal(["Invoices", "Support tickets"], choices);
        Assert.DoesNotContain("announcement", form.Text, StringComparison.OrdinalIgnoreCase);

        // A crafted post of the old field changes nothing: the column stays false and the list never names it.
        var token = form.Document.QuerySelector("main input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var email = PortalFixture.UniqueEmail("general");
        var added = await browser.PostAsync("/account/contacts/new",
            [new("__RequestVerificationToken", token), new("Input.Name", "Gene General"), new("Input.Email", email), new("Input.General", "true")]);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var contact = await portal.WithDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.ClientId == client.Id));
        Assert.False(contact.ReceivesGeneral);
        var list = await browser.GetAsync("/account/contacts");
        Assert.Equal("Nothing", list.Document.QuerySelector($"[data-contact-id='{contact.Id}'] [data-receives]")!.TextContent);
    }

    [Fact]
    public async Task A_user_with_the_contacts_permission_adds_edits_and_deletes_a_contact_each_logged()
    {
        var (_, client) = await portal.CreateOwnerAsync("Contacts Co");
        var member = await portal.CreateUserAsync();

        // Tickets too: subscribing a contact to support mail needs it (issue 23 item 6, pinned in ContactTrustTests).
        await portal.AssociateAsync(client.Id, member.Id, Permission.Contacts, Permission.Tickets);
        using var browser = await portal.LoginAsync(member.Email!);
        var email = PortalFixture.UniqueEmail("carla");

        var added = await browser.SubmitAsync("/account/contacts/new", new()
        {
            ["Input.Name"] = "Carla Contact", ["Input.Email"] = email, ["Input.Phone"] = "+1 555 0102", ["Input.Role"] = "Accounts", ["Input.Invoices"] = "true",
        });
        Assert.Equal("/account/contacts", added.Headers.Location!.PathAndQuery());
        var contact = await portal.WithDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.ClientId == client.Id));
        Assert.Equal(("Carla Contact", email, true, true, false), (contact.Name, contact.Email, contact.ReceivesInvoices, contact.ReceivesSupport, contact.ReceivesGeneral));
        var list = await browser.GetAsync("/account/contacts");
        Assert.Equal("Invoices, Support", list.Document.QuerySelector($"[data-contact-id='{contact.Id}'] [data-receives]")!.TextContent);

        var again = await browser.FollowAsync(await browser.SubmitAsync("/account/contacts/new", new() { ["Input.Name"] = "Copy", ["Input.Email"] = email.ToUpperInvariant() }));
        Assert.Contains(again.FieldErrors, e => e.Contains("already has a contact"));

        await browser.SubmitAsync($"/account/contacts/{contact.Id}", new() { ["Input.Name"] = "Carla Renamed", ["Input.Support"] = null! });
        var edited = await portal.WithDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.Id == contact.Id));
        Assert.Equal(("Carla Renamed", false), (edited.Name, edited.ReceivesSupport));

        var unconfirmed = await browser.FollowAsync(await browser.SubmitAsync($"/account/contacts/{contact.Id}/delete", []));
        Assert.Contains(unconfirmed.FieldErrors, e => e.Contains("Tick the box"));
        Assert.True(await portal.WithDbAsync(db => db.Contacts.AnyAsync(c => c.Id == contact.Id)));
        await browser.SubmitAsync($"/account/contacts/{contact.Id}/delete", new() { ["Input.Confirm"] = "true" });
        Assert.False(await portal.WithDbAsync(db => db.Contacts.AnyAsync(c => c.Id == contact.Id)));

        var log = await portal.WithDbAsync(db => db.ActivityLog.Where(e => e.ClientId == client.Id && e.UserId == member.Id).Select(e => e.Description).ToListAsync());
        Assert.Contains(log, d => d.StartsWith("Contact Carla Contact") && d.EndsWith("added"));
        Assert.Contains(log, d => d.StartsWith("Contact Carla Renamed") && d.Contains("updated"));
        Assert.Contains(log, d => d.StartsWith("Contact Carla Renamed") && d.EndsWith("deleted"));
    }

    [Fact]
    public async Task Another_accounts_contact_is_not_found_and_stays_as_it_was()
    {
        var (_, other) = await portal.CreateOwnerAsync("Other Contacts Co");
        var contact = await portal.ContactAsync(other.Id, PortalFixture.UniqueEmail("private"));
        var (owner, _) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        var token = await browser.AntiforgeryTokenAsync("/account/contacts");

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/account/contacts/{contact.Id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/account/contacts/{contact.Id}/delete")).Status);
        var edit = await browser.PostAsync($"/account/contacts/{contact.Id}", [new("__RequestVerificationToken", token), new("Input.Name", "Hijacked"), new("Input.Email", "h@example.test")]);
        var delete = await browser.PostAsync($"/account/contacts/{contact.Id}/delete", [new("__RequestVerificationToken", token), new("Input.Confirm", "true")]);

        Assert.Equal(HttpStatusCode.NotFound, edit.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal("Carla Contact", await portal.WithDbAsync(db => db.Contacts.Where(c => c.Id == contact.Id).Select(c => c.Name).SingleAsync()));
    }

    [Fact]
    public async Task Without_the_contacts_permission_the_pages_are_refused_and_nothing_is_written()
    {
        var (_, client) = await portal.CreateOwnerAsync();
        var contact = await portal.ContactAsync(client.Id, PortalFixture.UniqueEmail("kept"));
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(client.Id, member.Id, Permission.Tickets);
        using var browser = await portal.LoginAsync(member.Email!);
        var token = await browser.AntiforgeryTokenAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/account/contacts")).Status);
        var refused = await browser.GetAsync($"/account/contacts/{contact.Id}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.NotNull(refused.Document.QuerySelector("[data-forbidden]"));
        Assert.Contains("View & Open Support Tickets", refused.Document.QuerySelector("[data-held-permissions]")!.TextContent);
        var add = await browser.PostAsync("/account/contacts/new", [new("__RequestVerificationToken", token), new("Input.Name", "N"), new("Input.Email", PortalFixture.UniqueEmail())]);
        var edit = await browser.PostAsync($"/account/contacts/{contact.Id}", [new("__RequestVerificationToken", token), new("Input.Name", "Renamed"), new("Input.Email", contact.Email)]);
        var delete = await browser.PostAsync($"/account/contacts/{contact.Id}/delete", [new("__RequestVerificationToken", token), new("Input.Confirm", "true")]);

        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(1, await portal.WithDbAsync(db => db.Contacts.CountAsync(c => c.ClientId == client.Id)));
        Assert.Equal(contact.Name, await portal.WithDbAsync(db => db.Contacts.Where(c => c.Id == contact.Id).Select(c => c.Name).SingleAsync()));
    }
}
