using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Identity;
using Portal.Tests.Features.Clients;
using Portal.Tests.Features.Identity;
using Portal.Tests.Features.Membership;

namespace Portal.Tests.Security;

/// <summary>
/// The e-mail rule and the user-name rule agree: every address a form accepts (and so can be invited) can also become
/// a login, through registration, an invitation and an admin's Add Client.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class EmailAddressTests(PortalFixture portal)
{
    /// <summary>Local parts real people have that a narrow user-name rule refuses.</summary>
    public static TheoryData<string> UnusualLocalParts => new() { "o'brien", "josé", "a&b", "first+tag", "x_y-z", "hash#mark" };

    private static string Unusual(string localPart) => PortalFixture.UniqueEmail(localPart);

    [Fact]
    public async Task Every_address_the_email_rule_accepts_is_a_valid_user_name()
    {
        // By construction: every printable ASCII character and a few beyond, inside a local part.
        var candidates = Enumerable.Range(0x21, 0x7E - 0x20).Select(c => (char)c).Concat("éßøç€日").Select(c => $"a{c}b{Guid.NewGuid().ToString("N")[..6]}@example.test")
            .Where(InputRules.IsEmail).ToList();
        Assert.True(candidates.Count > 20, "The e-mail rule accepted almost nothing; the test is not testing.");

        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var refused = new List<string>();
        foreach (var email in candidates)
        {
            var result = await users.CreateAsync(new User { UserName = email, Email = email, FirstName = "Una", LastName = "Usual", CreatedAt = portal.Factory.Time.GetUtcNow() });
            SecurityReport.Add(SecurityReport.UnusualAddresses);
            if (!result.Succeeded)
            {
                refused.Add($"{email}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            }
        }

        Assert.True(refused.Count == 0, "Addresses a form accepts cannot become a login:\n" + string.Join("\n", refused));
    }

    [Theory]
    [MemberData(nameof(UnusualLocalParts))]
    public async Task An_unusual_but_valid_address_can_register(string localPart)
    {
        var email = Unusual(localPart);
        using var browser = portal.NewBrowser();

        var response = await browser.SubmitAsync("/register", RegisterTests.Form(email));

        SecurityReport.Add(SecurityReport.UnusualAddresses);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, (await Page.ReadAsync(response)).Text);
        Assert.Equal("/dashboard", response.Headers.Location!.PathAndQuery());
        Assert.True(await portal.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));
    }

    [Theory]
    [MemberData(nameof(UnusualLocalParts))]
    public async Task An_unusual_but_valid_address_can_be_invited_and_accept_with_a_new_login(string localPart)
    {
        var email = Unusual(localPart);
        var (owner, client) = await portal.CreateOwnerAsync("Unusual Co");
        using (var ownerBrowser = await portal.LoginAsync(owner.Email!))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await ownerBrowser.InviteAsync(email)).StatusCode);
        }

        using var invitee = portal.NewBrowser();
        var response = await invitee.SubmitAsync(await portal.InvitationLinkAsync(email), new()
        {
            ["Input.FirstName"] = "Una",
            ["Input.LastName"] = "Usual",
            ["Input.Email"] = email,
            ["Input.Password"] = PortalFixture.Password,
        }, "form[data-form=register]");

        SecurityReport.Add(SecurityReport.UnusualAddresses);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, (await Page.ReadAsync(response)).Text);
        Assert.True(await portal.WithDbAsync(db => db.ClientUsers.AnyAsync(cu => cu.ClientId == client.Id && cu.User.Email == email)));
    }

    [Theory]
    [MemberData(nameof(UnusualLocalParts))]
    public async Task An_admin_can_add_a_client_whose_new_owner_has_an_unusual_address(string localPart)
    {
        var email = Unusual(localPart);
        var company = "Unusual Owner " + Guid.NewGuid().ToString("N")[..6];
        using var admin = await portal.CreateAdminBrowserAsync();
        var form = AdminAddClientTests.Profile(email, company);
        form["Input.Owner"] = "NewUser";

        var response = await admin.SubmitAsync("/admin/clients/new", form, "form[data-add-client]");

        SecurityReport.Add(SecurityReport.UnusualAddresses);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, (await Page.ReadAsync(response)).Text);
        Assert.Equal(email, await portal.WithDbAsync(db => db.Clients.Where(c => c.CompanyName == company).Select(c => c.Owner.Email).SingleAsync()));
    }
}
