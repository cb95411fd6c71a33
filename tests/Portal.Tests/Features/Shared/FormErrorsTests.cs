using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Shared;

/// <summary>A failed submit: the summary is focused and says what is on screen; each field's error is tied to the field.</summary>
[Collection(SharedCollection.Name)]
public sealed class FormErrorsTests(PortalFixture portal)
{
    [Fact]
    public async Task A_field_error_is_named_by_the_field_and_the_summary_speaks_of_highlighted_fields()
    {
        using var browser = portal.NewBrowser();

        var page = await Page.ReadAsync(await browser.SubmitAsync("/login", new() { ["Input.Email"] = "", ["Input.Password"] = "" }));

        var email = page.Document.QuerySelector("input[name='Input.Email']")!;
        Assert.Equal("true", email.GetAttribute("aria-invalid"));
        var error = page.Document.GetElementById(email.GetAttribute("aria-describedby")!.Split(' ')[0]);
        Assert.NotNull(error);
        Assert.False(string.IsNullOrWhiteSpace(error.TextContent));
        var summary = page.Document.QuerySelector("[data-form-errors]")!;
        Assert.True(summary.HasAttribute("autofocus"));
        Assert.Equal("-1", summary.GetAttribute("tabindex"));
        Assert.Contains("Please correct the highlighted fields.", summary.TextContent);
    }

    [Fact]
    public async Task A_wrong_password_is_said_plainly_without_pointing_at_highlighted_fields()
    {
        var (owner, _) = await portal.CreateOwnerAsync();
        using var browser = portal.NewBrowser();

        var page = await Page.ReadAsync(await browser.SubmitAsync("/login", new() { ["Input.Email"] = owner.Email!, ["Input.Password"] = "not the password at all" }));

        var summary = page.Document.QuerySelector("[data-form-errors]")!;
        Assert.DoesNotContain("highlighted", summary.TextContent);
        Assert.False(string.IsNullOrWhiteSpace(summary.TextContent));
        Assert.Null(page.Document.QuerySelector("[aria-invalid=true]"));
    }
}
