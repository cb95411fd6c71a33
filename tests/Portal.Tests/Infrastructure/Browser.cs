using System.Net;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// A cookie-keeping visitor that reads real rendered pages with AngleSharp and submits their real forms,
/// antiforgery token included.
/// </summary>
public sealed class Browser(HttpClient client, CookieContainer cookies, string ip) : IDisposable
{
    public CookieContainer Cookies { get; } = cookies;

    /// <summary>The Cookie header this browser would send to <paramref name="path"/>, for replaying it elsewhere.</summary>
    public string CookieHeader(string path = "/") => Cookies.GetCookieHeader(new Uri(new Uri(PortalFactory.BaseUrl), path));

    public HttpClient Client { get; } = client;

    public string Ip { get; } = ip;

    public async Task<Page> GetAsync(string url)
    {
        var response = await Client.GetAsync(url);
        return await Page.ReadAsync(response);
    }

    /// <summary>GETs the page, follows redirects, and returns the final page.</summary>
    public async Task<Page> GetFollowingAsync(string url)
    {
        var response = await Client.GetAsync(url);
        for (var i = 0; i < 5 && response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther; i++)
        {
            response = await Client.GetAsync(response.Headers.Location);
        }

        return await Page.ReadAsync(response);
    }

    /// <summary>Opens <paramref name="url"/>, fills the form (the first one, or the one matching <paramref name="formSelector"/>) and submits it.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string url, Dictionary<string, string> values, string? formSelector = null, string? submitSelector = null)
    {
        var page = await GetAsync(url);
        Assert.True(page.Status == HttpStatusCode.OK, $"GET {url} answered {(int)page.Status}");
        return await SubmitAsync(page, values, formSelector, submitSelector);
    }

    public async Task<HttpResponseMessage> SubmitAsync(Page page, Dictionary<string, string> values, string? formSelector = null, string? submitSelector = null)
    {
        var form = (IHtmlFormElement?)(formSelector is null
            ? page.Document.QuerySelectorAll("main form").OfType<IHtmlFormElement>().FirstOrDefault(f => f.Method.Equals("post", StringComparison.OrdinalIgnoreCase))
            : page.Document.QuerySelector(formSelector))
            ?? throw new InvalidOperationException($"No form {formSelector} on {page.Url}");
        var fields = FormFields(form, submitSelector);
        foreach (var (name, value) in values)
        {
            fields.RemoveAll(f => f.Key == name);
            if (value is not null)
            {
                fields.Add(new(name, value));
            }
        }

        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? page.Url : form.GetAttribute("action")!;
        return await PostAsync(action, fields);
    }

    public Task<HttpResponseMessage> PostAsync(string url, IEnumerable<KeyValuePair<string, string>> fields) =>
        Client.PostAsync(url, new FormUrlEncodedContent(fields));

    /// <summary>The antiforgery token of any form on the page, for crafted posts.</summary>
    public async Task<string> AntiforgeryTokenAsync(string url = "/login")
    {
        var page = await GetAsync(url);
        return page.Document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException($"No antiforgery token on {url}");
    }

    public async Task<Page> FollowAsync(HttpResponseMessage response)
    {
        for (var i = 0; i < 5 && response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther; i++)
        {
            response = await Client.GetAsync(response.Headers.Location);
        }

        return await Page.ReadAsync(response);
    }

    private static List<KeyValuePair<string, string>> FormFields(IHtmlFormElement form, string? submitSelector)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name) && input.Type is not ("submit" or "button"):
                    if (input.Type is "checkbox" or "radio" && !input.IsChecked)
                    {
                        continue;
                    }

                    fields.Add(new(input.Name!, input.Value));
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    var selected = select.Options.FirstOrDefault(o => o.IsSelected) ?? select.Options.FirstOrDefault();
                    if (selected is not null)
                    {
                        fields.Add(new(select.Name!, selected.Value));
                    }

                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                    fields.Add(new(area.Name!, area.Value));
                    break;
            }
        }

        if (submitSelector is not null && form.QuerySelector(submitSelector) is IHtmlButtonElement { Name: { Length: > 0 } name } button)
        {
            fields.Add(new(name, button.Value));
        }

        return fields;
    }

    public void Dispose() => Client.Dispose();
}

public sealed class Page
{
    public required HttpStatusCode Status { get; init; }
    public required IDocument Document { get; init; }
    public required string Url { get; init; }
    public required HttpResponseMessage Response { get; init; }

    public string Text => Document.Body?.TextContent ?? "";

    public static async Task<Page> ReadAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var context = BrowsingContext.New(Configuration.Default);
        var document = await context.OpenAsync(r => r.Content(html).Address(response.RequestMessage!.RequestUri!));
        return new Page { Status = response.StatusCode, Document = document, Url = response.RequestMessage!.RequestUri!.PathAndQuery, Response = response };
    }

    public IEnumerable<string> FieldErrors => Document.QuerySelectorAll("span.text-danger").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0);

    public string? ErrorFor(string field) => Document.QuerySelector($"input[name='{field}']")?.ParentElement?.QuerySelector("span.text-danger")?.TextContent.Trim();
}

public static class UriText
{
    /// <summary>The path and query of a Location header, whether the server sent it relative or absolute.</summary>
    public static string PathAndQuery(this Uri uri) => uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString;
}
