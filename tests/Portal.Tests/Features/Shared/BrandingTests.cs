using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Email;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Shared;

[Collection(SharedCollection.Name)]
public sealed class BrandingTests(PortalFixture portal)
{
    [Fact]
    public async Task The_providers_name_is_in_the_menu_bar_the_footer_and_the_title_of_both_areas()
    {
        var company = portal.Factory.Services.GetRequiredService<IOptions<PortalOptions>>().Value.CompanyName;
        using var visitor = portal.NewBrowser();
        using var admin = await portal.CreateAdminBrowserAsync();

        var login = await visitor.GetAsync("/login");
        var adminHome = await admin.GetAsync("/admin");

        Assert.Equal(company, login.Document.QuerySelector("[data-brand]")!.TextContent.Trim());
        Assert.Equal(company, login.Document.QuerySelector("[data-footer]")!.TextContent.Trim());
        Assert.EndsWith($"· {company}", login.Document.Title);
        Assert.Equal($"{company} Admin", adminHome.Document.QuerySelector("[data-brand]")!.TextContent.Trim());
        Assert.EndsWith($"· {company} Admin", adminHome.Document.Title);
    }
}
