using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Membership;
using Portal.Infrastructure.Data;
using Portal.Tests.Features.Support;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>
/// Every money field and every choice (enum) field of every form the app renders, found by crawling the route table and
/// reading the type each field binds to on its page model: an amount written any other way than the one declared format
/// (a decimal comma, an exponent, a sign, grouping, other digits) and a choice that is not exactly one defined value (two
/// values combined, an undefined number) must come back as an error beside that field, with nothing in the database
/// changed (a value outside the forms' fields, a handler's parameter, is refused with a 400 instead).
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class AmountAndChoiceBindingTests(PortalFixture portal)
{
    /// <summary>Amounts in forms other than the declared one (digits, a point, the cents).</summary>
    public static readonly IReadOnlyList<string> OtherAmountForms =
    [
        "1,5",
        "1,50",
        "1.000,50",
        "1,000.50",
        "1 000",
        "1e2",
        "1E2",
        "2.5e-1",
        "  12.3.4",
        "-0",
        "-5",
        "+5",
        "99999999999999999999999999",
        "79228162514264337593543950336",
        "0x10",
        "١٢",
        "12.",
        ".5",
        "NaN",
        "Infinity",
        "12 USD",
        "$12",
    ];

    [Fact]
    public async Task Every_money_field_refuses_amounts_in_other_formats_and_every_choice_field_refuses_combined_or_undefined_values()
    {
        var (owner, a) = await portal.CreateOwnerAsync("Binding Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(a.Id, member.Id, Permission.Tickets);
        var department = await portal.DepartmentAsync();
        var ticket = await portal.TicketAsync(a.Id, owner.AsSender());
        var contact = await portal.ContactAsync(a.Id, PortalFixture.UniqueEmail("binding-contact"));
        var support = new RouteValues.SupportIds(ticket.Id, contact.Id, department.Id);
        var billing = await RouteValues.BillingOfAsync(portal, a.Id, owner.Id);

        // Part of the invoice paid, so that its page offers both the payment form and the refund.
        await portal.SendAsync(new Portal.Features.Billing.RecordPayment.Command { InvoiceId = billing.InvoiceId, Amount = 4m, Date = new DateOnly(2026, 1, 5), Method = "Bank transfer" });
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        using var admin = await portal.CreateAdminBrowserAsync();
        var moneyFields = new List<string>();
        var choiceFields = new List<string>();
        var failures = new List<string>();

        foreach (var route in await RouteMatrixTests.DiscoverAsync(portal.Factory))
        {
            if (route.Model is null || route.Template.StartsWith("/invite", StringComparison.Ordinal) || route.Template.StartsWith("/error", StringComparison.Ordinal)
                || route.Template is "/logout" or "/admin/logout")
            {
                continue;
            }

            var path = RouteValues.Fill(route.Template, a.Id, member.Id, 0, support, billing);
            using var anonymous = portal.NewBrowser();
            var browser = route.Access switch
            {
                RouteMatrixTests.Access.Anonymous => anonymous,
                RouteMatrixTests.Access.Admin => admin,
                _ => ownerBrowser,
            };
            var page = await browser.GetAsync(path);
            if (page.Status != HttpStatusCode.OK)
            {
                continue;
            }

            foreach (var form in page.Document.QuerySelectorAll("main form").OfType<IHtmlFormElement>())
            {
                var fields = Fields(form);
                var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? path : form.GetAttribute("action")!;
                var isGet = form.Method.Equals("get", StringComparison.OrdinalIgnoreCase);
                foreach (var name in fields.Select(f => f.Key).Where(n => n != "__RequestVerificationToken").Distinct())
                {
                    var type = BoundType(route.Model, name);
                    var underlying = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
                    IReadOnlyList<string> values;
                    if (underlying == typeof(decimal))
                    {
                        moneyFields.Add($"{route.Template} {name}");
                        values = OtherAmountForms;
                    }
                    else if (underlying is { IsEnum: true })
                    {
                        choiceFields.Add($"{route.Template} {name}");
                        values = BadChoices(underlying);
                    }
                    else
                    {
                        continue;
                    }

                    foreach (var value in values)
                    {
                        SecurityReport.Add(underlying == typeof(decimal) ? SecurityReport.OtherAmountFormsTried : SecurityReport.BadChoicesTried);
                        var before = await FingerprintAsync();
                        var failure = await SubmitAsync(browser, isGet, action, Replace(fields, name, value), name);
                        if (failure is null && await FingerprintAsync() != before)
                        {
                            failure = "the database changed";
                        }

                        if (failure is not null)
                        {
                            SecurityReport.Add(underlying == typeof(decimal) ? SecurityReport.OtherAmountFormsAccepted : SecurityReport.BadChoicesAccepted);
                            failures.Add($"{(isGet ? "GET" : "POST")} {action} {name}={System.Text.Json.JsonSerializer.Serialize(value)}: {failure}");
                        }
                    }
                }
            }
        }

        // The crawl must reach the forms this class is about, or it proves nothing.
        Assert.Contains(moneyFields, f => f.StartsWith("/admin/invoices/{id:int} Input.Amount", StringComparison.Ordinal));
        Assert.Contains(moneyFields, f => f.StartsWith("/admin/products/new Input.Price", StringComparison.Ordinal));
        Assert.Contains(moneyFields, f => f.StartsWith("/admin/invoices/{id:int}/refund Input.Amount", StringComparison.Ordinal));
        Assert.Contains(choiceFields, f => f.StartsWith("/admin/orders/{id:int}/cancel Input.Decision", StringComparison.Ordinal));
        Assert.True(moneyFields.Count >= 5, "Money fields found: " + string.Join(", ", moneyFields));
        Assert.True(choiceFields.Count >= 8, "Choice fields found: " + string.Join(", ", choiceFields));
        Assert.True(failures.Count == 0, $"{failures.Count} malformed amounts or choices were taken:\n" + string.Join("\n", failures.Take(60)));
    }

    /// <summary>Two defined values combined (as flags would read them), undefined numbers, and a name that is not one.</summary>
    private static IReadOnlyList<string> BadChoices(Type enumType)
    {
        var names = Enum.GetNames(enumType);
        var values = new List<string> { "99", "-1", "2147483648", "1.5", "Bogus", "" + names[0] + "|" + names[^1] };
        if (names.Length >= 2)
        {
            values.Add($"{names[0]},{names[^1]}");
            values.Add($"{names[^1]}, {names[0]}");
        }

        return values;
    }

    /// <summary>The type the field named <paramref name="name"/> binds to on the page model: a bound property's path, or a handler's parameter.</summary>
    public static Type? BoundType(Type model, string name)
    {
        var parts = name.Split('.').Select(p => p.Split('[')[0]).ToList();
        var top = model.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => string.Equals(p.GetCustomAttribute<BindPropertyAttribute>()?.Name ?? p.Name, parts[0], StringComparison.OrdinalIgnoreCase)
                && (p.GetCustomAttribute<BindPropertyAttribute>() is not null || model.GetCustomAttribute<BindPropertiesAttribute>() is not null
                    || p.GetCustomAttributes().Any(a => a is Microsoft.AspNetCore.Mvc.ModelBinding.IBindingSourceMetadata)));
        Type? type = top?.PropertyType;
        if (type is null)
        {
            type = model.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.Name.StartsWith("On", StringComparison.Ordinal))
                .SelectMany(m => m.GetParameters())
                .FirstOrDefault(p => string.Equals(p.GetCustomAttribute<FromFormAttribute>()?.Name ?? p.Name, parts[0], StringComparison.OrdinalIgnoreCase))?.ParameterType;
        }

        foreach (var part in parts.Skip(1))
        {
            if (type is null)
            {
                return null;
            }

            type = ElementOf(type).GetProperty(part, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
        }

        return type is null ? null : ElementOf(type);
    }

    private static Type ElementOf(Type type) =>
        type != typeof(string) && type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) is { } enumerable
            ? enumerable.GetGenericArguments()[0]
            : type;

    private static async Task<string?> SubmitAsync(Browser browser, bool isGet, string action, List<KeyValuePair<string, string>> body, string field)
    {
        using var request = isGet
            ? new HttpRequestMessage(HttpMethod.Get, action.Split('?')[0] + "?" + await new FormUrlEncodedContent(body).ReadAsStringAsync())
            : new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(body) };
        request.Headers.Add(PortalFactory.TestIpHeader, $"127.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");
        using var response = await browser.Client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.InternalServerError)
        {
            SecurityReport.Add(SecurityReport.ServerErrors);
            return "500";
        }

        // A value outside a form's fields (a handler's parameter) that does not bind is refused whole, as no user typed it.
        if (response.StatusCode == HttpStatusCode.BadRequest && !field.Contains('.'))
        {
            return null;
        }

        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.BadRequest))
        {
            return $"answered {(int)response.StatusCode}{(response.Headers.Location is { } location ? " to " + location : "")} instead of the form with the field's error";
        }

        var page = await Page.ReadAsync(response);
        var error = page.Document.QuerySelector($"[data-valmsg-for='{field}']")?.TextContent.Trim();
        return string.IsNullOrEmpty(error) ? "no error beside the field" : null;
    }

    /// <summary>Every row of every table the model maps, hashed: any write at all changes it.</summary>
    private Task<string> FingerprintAsync() => portal.WithDbAsync(async db =>
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            foreach (var table in db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().Order(StringComparer.Ordinal))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT * FROM \"{table}\"";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        hash.AppendData(Encoding.UTF8.GetBytes(Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) + "\u001f"));
                    }
                }

                hash.AppendData(Encoding.UTF8.GetBytes(table));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    });

    private static List<KeyValuePair<string, string>> Fields(IHtmlFormElement form)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name) && input.Type is not ("submit" or "button"):
                    if (input.Type is not ("checkbox" or "radio") || input.IsChecked)
                    {
                        fields.Add(new(input.Name!, input.Value));
                    }
                    else if (!fields.Any(f => f.Key == input.Name))
                    {
                        // An unticked box or unchosen radio is still a field a hostile client can send.
                        fields.Add(new(input.Name!, "__unchecked__"));
                    }

                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    fields.Add(new(select.Name!, select.Value ?? ""));
                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                    fields.Add(new(area.Name!, area.Value));
                    break;
            }
        }

        return fields;
    }

    private static List<KeyValuePair<string, string>> Replace(List<KeyValuePair<string, string>> fields, string name, string value)
    {
        var result = fields.Where(f => f.Key != name && f.Value != "__unchecked__").ToList();
        result.Add(new(name, value));
        return result;
    }
}
