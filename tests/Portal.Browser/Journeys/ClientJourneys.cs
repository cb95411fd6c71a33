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
        var second = person with { Company = BrowserFixture.Unique("Second Ledger") };

        await visitor.RegisterAsync(person);
        await visitor.ExpectMenuOnOneLineAsync();
        await visitor.CreateAnotherAccountAsync(person, second.Company);
        await visitor.SwitchAccountAsync(person.FirstName, person.AccountName);
        await visitor.SwitchAccountFromBarAsync(person.AccountName, second.AccountName);
        await visitor.ExpectMenuOnOneLineAsync();
        await visitor.LogoutAsync(person.FirstName);

        // The next login opens the account worked in last, without asking.
        await visitor.LoginAsync(person.Email);
        await visitor.ExpectDashboardAsync(second.AccountName);

        await visitor.AssertNoProblemsAsync();
    }
}
