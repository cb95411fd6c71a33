using Portal.Browser.Infrastructure;

namespace Portal.Browser.Journeys;

[Collection(BrowserCollection.Name)]
public sealed class ClientJourneys(BrowserFixture browser)
{
    [Fact]
    public async Task A_visitor_registers_opens_a_second_account_switches_back_and_logs_out()
    {
        await using var visitor = await browser.NewVisitorAsync("register-switch-logout");
        var person = Person.New("Ada", "Lovelace");

        await visitor.RegisterAsync(person);
        await visitor.CreateAnotherAccountAsync(person, BrowserFixture.Unique("Second Ledger"));
        await visitor.SwitchAccountAsync(person.FirstName, person.AccountName);
        await visitor.LogoutAsync(person.FirstName);

        await visitor.AssertNoProblemsAsync();
    }
}
