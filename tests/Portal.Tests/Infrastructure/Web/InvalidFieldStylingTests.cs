using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Infrastructure.Web;

/// <summary>
/// A form submitted empty marks each field in error for sight and for screen readers, and keeps the field's own styling:
/// the error class joins the classes the field had, whatever other tag helper wrote them.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class InvalidFieldStylingTests(PortalFixture portal)
{
    private static readonly string[] BootstrapControls = ["form-control", "form-select", "form-check-input"];

    [Theory]
    [InlineData("/register", false)]
    [InlineData("/password/forgot", false)]
    [InlineData("/user/profile", true)]
    [InlineData("/user/password", true)]
    [InlineData("/account/profile", true)]
    [InlineData("/account/contacts/new", true)]
    [InlineData("/account/users/invite", true)]
    [InlineData("/account/close", true)]
    public async Task A_client_form_submitted_empty_marks_its_invalid_fields_and_keeps_their_styling(string path, bool signedIn)
    {
        // Signed in as an account's owner, who may open every client form.
        using var browser = signedIn ? await portal.LoginAsync((await portal.CreateOwnerAsync("Empty Forms Ltd")).User.Email!) : portal.NewBrowser();
        await AssertEmptySubmitKeepsStylingAsync(browser, path);
    }

    [Theory]
    [InlineData("/admin/clients/new")]
    [InlineData("/admin/products/new")]
    [InlineData("/admin/settings")]
    [InlineData("/admin/support/departments")]
    public async Task An_admin_form_submitted_empty_marks_its_invalid_fields_and_keeps_their_styling(string path)
    {
        using var admin = await portal.CreateAdminBrowserAsync();
        await AssertEmptySubmitKeepsStylingAsync(admin, path);
    }

    private static async Task AssertEmptySubmitKeepsStylingAsync(Browser browser, string path)
    {
        var page = await browser.GetAsync(path);
        var form = page.Document.QuerySelectorAll("main form").OfType<IHtmlFormElement>().FirstOrDefault(f => f.Method.Equals("post", StringComparison.OrdinalIgnoreCase));
        Assert.True(form is not null, $"{path} ({(int)page.Status}) has no form");
        var emptied = form!.QuerySelectorAll("input, textarea").OfType<IElement>()
            .Where(e => e.GetAttribute("type") is not ("hidden" or "checkbox" or "radio" or "submit") && e.GetAttribute("name") is { Length: > 0 })
            .DistinctBy(e => e.GetAttribute("name")).ToDictionary(e => e.GetAttribute("name")!, _ => "");
        var before = form.QuerySelectorAll("[name]").DistinctBy(e => e.GetAttribute("name")).ToDictionary(e => e.GetAttribute("name")!, e => e.GetAttribute("class") ?? "", StringComparer.Ordinal);

        var answer = await Page.ReadAsync(await browser.SubmitAsync(page, emptied));

        var invalid = answer.Document.QuerySelectorAll("main [aria-invalid=true]").ToList();
        Assert.True(invalid.Count > 0, $"{path}: an empty form marked no field invalid");
        foreach (var field in invalid)
        {
            var name = field.GetAttribute("name")!;
            var classes = (field.GetAttribute("class") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.DoesNotContain(classes, c => c.Contains('.') || c.Contains('+'));
            Assert.Contains("is-invalid", classes);
            Assert.Contains(classes, BootstrapControls.Contains);
            Assert.All(before.GetValueOrDefault(name, "").Split(' ', StringSplitOptions.RemoveEmptyEntries), c => Assert.Contains(c, classes));
            Assert.NotNull(answer.Document.GetElementById(field.GetAttribute("aria-describedby")!.Split(' ')[0]));
        }
    }
}
