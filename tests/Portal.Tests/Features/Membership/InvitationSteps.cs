using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Data;
using Portal.Features.Settings;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Membership;

/// <summary>The steps of the invitation tests, done the way a user does them: through the real pages and e-mails.</summary>
public static partial class InvitationSteps
{
    /// <summary>The owner fills in Invite New User; no keys means "All Permissions".</summary>
    public static async Task<HttpResponseMessage> InviteAsync(this Browser owner, string email, params string[] permissionKeys)
    {
        var page = await owner.GetAsync("/account/users/invite");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Input.Email", email),
            new("__RequestVerificationToken", page.Document.QuerySelector("main input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
        };
        if (permissionKeys.Length == 0)
        {
            fields.Add(new("Input.AllPermissions", "true"));
        }

        fields.AddRange(permissionKeys.Select(k => new KeyValuePair<string, string>("Input.Permissions", k)));
        return await owner.PostAsync("/account/users/invite", fields);
    }

    /// <summary>The invitation link from the newest e-mail queued for <paramref name="email"/>, as the invitee would click it.</summary>
    public static async Task<string> InvitationLinkAsync(this PortalFixture portal, string email)
    {
        var body = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.To == email).OrderByDescending(m => m.Id).Select(m => m.TextBody).FirstAsync());
        return LinkIn(body);
    }

    public static string LinkIn(string body)
    {
        var match = InvitationLink().Match(body);
        Assert.True(match.Success, $"No invitation link in: {body}");
        return new Uri(match.Value).PathAndQuery;
    }

    public static async Task SetSettingAsync(this PortalFixture portal, string key, string value)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SystemSettings>().SetAsync(key, value);
        await scope.ServiceProvider.GetRequiredService<PortalDbContext>().SaveChangesAsync();
    }

    public static Task<List<string>> PermissionsOnDashboardAsync(this Browser browser) =>
        browser.GetAsync("/dashboard").ContinueWith(t => t.Result.Document.QuerySelectorAll("[data-permissions] li").Select(li => li.TextContent).ToList());

    [GeneratedRegex(@"https://portal\.test/invite/[A-Za-z0-9_\-]+")]
    private static partial Regex InvitationLink();
}
