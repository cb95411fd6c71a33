using System.Net;
using Portal.Features.Identity;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>The forgot-password form cannot flood one inbox, whatever addresses the requests come from, and says nothing about it.</summary>
[Collection(SecurityCollection.Name)]
public sealed class ResetFloodTests(PortalFixture portal)
{
    [Fact]
    public async Task At_most_three_reset_emails_an_hour_go_to_one_address_with_the_same_answer_past_the_limit()
    {
        var user = await portal.CreateUserAsync();
        var answers = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            using var visitor = portal.NewBrowser();
            var response = await visitor.SubmitAsync("/password/forgot", new() { ["Input.Email"] = user.Email! });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            answers.Add((await visitor.FollowAsync(response)).Document.QuerySelector("main")!.TextContent);
        }

        Assert.Single(answers.Distinct());
        Assert.Equal(ForgotPassword.MaxPerHour, (await portal.MessagesToAsync(user.Email!)).Count(m => m.Subject.StartsWith("Reset your")));

        portal.Factory.Time.Advance(TimeSpan.FromMinutes(61));
        using (var later = portal.NewBrowser())
        {
            await later.SubmitAsync("/password/forgot", new() { ["Input.Email"] = user.Email! });
        }

        Assert.Equal(ForgotPassword.MaxPerHour + 1, (await portal.MessagesToAsync(user.Email!)).Count(m => m.Subject.StartsWith("Reset your")));
    }
}
