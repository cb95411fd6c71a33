using System.Net;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>Password guessing is limited per address wherever the password form is, and cannot be turned against the account's owner.</summary>
[Collection(PortalCollection.Name)]
public sealed class PasswordGuessingTests(PortalFixture portal)
{
    private static Dictionary<string, string> Credentials(string email, string password) => new() { ["Input.Email"] = email, ["Input.Password"] = password };

    [Fact]
    public async Task A_login_on_the_invitation_page_counts_against_the_login_limit()
    {
        var (owner, _) = await portal.CreateOwnerAsync("Guessing Co");
        var invitee = PortalFixture.UniqueEmail("guessed");
        using (var ownerBrowser = await portal.LoginAsync(owner.Email!))
        {
            await ownerBrowser.InviteAsync(invitee);
        }

        var link = await portal.InvitationLinkAsync(invitee);
        using var attacker = portal.NewBrowser();

        // 20 guesses on /login, then the invitation page's log-in form: the 30-a-minute login limit is shared.
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await attacker.SubmitAsync("/login", Credentials($"nobody{i}@example.test", "guess that is wrong"))).StatusCode);
        }

        var page = await attacker.GetAsync(link);
        var token = page.Document.QuerySelector("form[data-form=login] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var response = await attacker.PostAsync(link + "?handler=Login", [new("LoginInput.Email", $"nobody{i}@example.test"), new("LoginInput.Password", "guess that is wrong"), new("__RequestVerificationToken", token)]);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await attacker.SubmitAsync("/login", Credentials("nobody@example.test", "guess that is wrong"))).StatusCode);
    }
}
