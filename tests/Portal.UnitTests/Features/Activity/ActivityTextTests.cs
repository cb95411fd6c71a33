using Portal.Features.Activity;

namespace Portal.UnitTests.Features.Activity;

/// <summary>Log entries read as sentences on the pages, while the stored text keeps the log's notation.</summary>
public sealed class ActivityTextTests
{
    [Theory]
    [InlineData("Invited sam@bakery.example to Bakery Ltd (#3) with permissions {View Products & Services, View & Open Support Tickets}",
        "Invited sam@bakery.example to Bakery Ltd with permissions View Products & Services and View & Open Support Tickets")]
    [InlineData("User lee@bakery.example permissions changed from {View & Pay Invoices} to {View & Pay Invoices, View Orders, View Emails}",
        "User lee@bakery.example permissions changed from View & Pay Invoices to View & Pay Invoices, View Orders and View Emails")]
    [InlineData("Ticket subject \"Broken\\u000Aoven\" changed", "Ticket subject \"Broken / oven\" changed")]
    [InlineData("Permissions changed from {} to {View Emails}", "Permissions changed from none to View Emails")]
    [InlineData("Logged in as ben@bakery.example", "Logged in as ben@bakery.example")]
    public void A_clients_page_reads_lists_as_words_without_ids_or_escapes(string stored, string shown) =>
        Assert.Equal(shown, ActivityText.ForClients(stored));

    [Fact]
    public void The_admins_log_keeps_the_ids_it_works_with()
    {
        Assert.Equal("Switched to account Bakery Ltd (#3) with permissions A and B",
            ActivityText.ForAdmins("Switched to account Bakery Ltd (#3) with permissions {A, B}"));
    }
}
