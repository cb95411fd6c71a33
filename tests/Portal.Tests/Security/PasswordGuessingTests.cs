using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Web;
using Portal.Tests.Infrastructure;
using Portal.Tests.Features.Membership;

namespace Portal.Tests.Security;

/// <summary>Password guessing is limited per address wherever the password form is, and cannot be turned against the account's owner.</summary>
[Collection(SecurityCollection.Name)]
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

    [Fact]
    public async Task Every_form_that_asks_for_a_current_password_is_under_the_password_limit()
    {
        // By construction: crawl every page of the route table as the visitor who may use it, find each form with a
        // current-password field, and check that its page and handler are declared [ChecksPassword].
        var (owner, client) = await portal.CreateOwnerAsync("Crawled Co");
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        await ownerBrowser.InviteAsync(PortalFixture.UniqueEmail("crawl-invitee"));
        var invitationLink = InvitationSteps.LinkIn(await portal.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(
            db.EmailMessages.Where(m => m.ClientId == client.Id).OrderByDescending(m => m.Id).Select(m => m.TextBody))));
        using var admin = await portal.CreateAdminBrowserAsync();
        var endpoints = portal.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var found = new List<string>();
        var undeclared = new List<string>();

        foreach (var route in await RouteMatrixTests.DiscoverAsync(portal.Factory))
        {
            if (route.Template.Contains("{id", StringComparison.Ordinal) || route.Template.Contains("{userId", StringComparison.Ordinal)
                || route.Template.StartsWith("/admin/jobs", StringComparison.Ordinal) || route.Template is "/logout" or "/admin/logout")
            {
                continue;
            }

            var path = route.Template.StartsWith("/invite", StringComparison.Ordinal) ? invitationLink : route.Template.Replace("{code:int?}", "404");
            using var anonymous = portal.NewBrowser();
            var browser = route.Access switch
            {
                RouteMatrixTests.Access.Anonymous => anonymous,
                RouteMatrixTests.Access.Admin => admin,
                _ => ownerBrowser,
            };
            var page = await browser.GetAsync(path);
            foreach (var form in page.Document.QuerySelectorAll("form").OfType<IHtmlFormElement>().Where(f => f.QuerySelector("input[type=password][autocomplete=current-password]") is not null))
            {
                var action = new Uri(new Uri(PortalFactory.BaseUrl + path), string.IsNullOrEmpty(form.GetAttribute("action")) ? path : form.GetAttribute("action")!);
                var handler = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(action.Query).TryGetValue("handler", out var h) ? h.ToString() : "";
                var endpoint = endpoints.Single(e => "/" + e.RoutePattern.RawText!.TrimStart('/') == route.Template);
                var checks = endpoint.Metadata.GetMetadata<ChecksPasswordAttribute>();
                found.Add($"{route.Template} {handler}");
                if (checks is null || (checks.Handlers.Count > 0 && !checks.Handlers.Contains(handler, StringComparer.OrdinalIgnoreCase)))
                {
                    undeclared.Add($"{route.Template} handler '{handler}'");
                }
            }
        }

        Assert.True(found.Count >= 3, "Only found: " + string.Join(", ", found));
        Assert.True(undeclared.Count == 0, "Password forms outside the password limit: " + string.Join(", ", undeclared));
    }
}
