using System.Net;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Membership;

public static class AccountSteps
{
    /// <summary>Chooses the account on Choose Account, as the user would from the Hello menu.</summary>
    public static async Task ChooseAccountAsync(this Browser browser, int clientId)
    {
        var choose = await browser.GetAsync("/user/accounts");
        var response = await browser.SubmitAsync(choose, [], $"[data-client-id='{clientId}'] form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }
}
