using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Data;
using Portal.Tests.Features.Support;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;
using Portal.Features.Shared;
using Portal.Tests.Features.Membership;

namespace Portal.Tests.Security;

/// <summary>
/// Every field of every form the app renders, found by crawling the pages of the route table as a visitor who may
/// use them, is sent a corpus of hostile values. Each answer must be a page with a message or a redirect after an
/// acceptable save: never a 500, never the value rendered unencoded, and no half-made records afterwards. Nothing
/// stored, in any text column of any table, may hold a control, bidi or line-separator character: a form refuses
/// them, and the activity log encodes them whatever reached it (so no forged log lines, no names that read backwards).
/// </summary>
[Collection(HostileInputCollection.Name)]
public sealed class HostileInputTests(PortalFixture portal)
{
    public static readonly IReadOnlyList<string> Corpus =
    [
        new string('A', 10 * 1024),
        "",
        "   ",
        "\u0001\u0002\u001b[31m control",
        "nul\0byte",
        "\u202Eevil\u202C right-to-left",
        "\u2066isolate\u2069 and \u202Aembedding\u202C",
        "line\u2028separator\u2029paragraph",
        "a@example.test\r\n2026-01-01 Admin granted all permissions",
        "😀🎉 emoji",
        "<script>alert('portal-xss')</script>",
        "\"><img src=x onerror=alert('portal-xss')>",
        "' OR '1'='1'; DROP TABLE Users; --",
        "-1",
        "-2147483649",
        "99999999999999999999999999",
        "1e309",
        "2026-02-30",
        "not-a-date",
        "Bogus",
        "../../etc/passwd",
        "/été",
    ];

    /// <summary>Redirect targets outside ASCII, raw and encoded: each must be followed percent-encoded or refused, never a 500.</summary>
    public static readonly IReadOnlyList<string> NonAsciiRedirectTargets =
    [
        "/été",
        "/%C3%A9t%C3%A9",
        "/dashboard?q=naïve",
        "/😀",
        "/\u202Eevil",
        "/a b",
        "/\u2028line",
    ];

    private static readonly string[] ExtraFields = ["OwnerUserId", "ClientId", "IsAdmin", "Permissions", "Input.OwnerUserId", "Input.ClientId", "Input.IsAdmin", "Input.Id", "Input.UserId"];

    [Fact]
    public async Task Every_form_field_survives_the_hostile_corpus()
    {
        var before = await portal.WithDbAsync(db => LastRowIdsAsync(db));
        var (owner, a) = await portal.CreateOwnerAsync("Hostile Co");
        var member = await portal.CreateUserAsync();
        await portal.AssociateAsync(a.Id, member.Id, Permission.Tickets);
        using (var inviter = await portal.LoginAsync(owner.Email!))
        {
            await inviter.InviteAsync(PortalFixture.UniqueEmail("hostile-invitee"));
        }

        var invitationLink = await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.ClientId == a.Id).OrderByDescending(m => m.Id).Select(m => m.TextBody).FirstAsync());
        var invitationId = await portal.WithDbAsync(db => db.Invitations.Where(i => i.ClientId == a.Id).Select(i => i.Id).SingleAsync());
        var department = await portal.DepartmentAsync();
        var ticket = await portal.TicketAsync(a.Id, owner.AsSender());
        var contact = await portal.ContactAsync(a.Id, PortalFixture.UniqueEmail("hostile-contact"));
        var (_, guestToken) = await portal.GuestTicketAsync(PortalFixture.UniqueEmail("hostile-guest"));
        var support = new RouteValues.SupportIds(ticket.Id, contact.Id, department.Id, guestToken);
        var billing = await RouteValues.BillingOfAsync(portal, a.Id, owner.Id);
        using var ownerBrowser = await portal.LoginAsync(owner.Email!);
        using var admin = await portal.CreateAdminBrowserAsync();

        // The two-factor forms: an enrolment under way for the owner and the admin, and a login (user and admin) half
        // signed in, whose code page is the only one its cookie reaches.
        await ownerBrowser.SubmitAsync("/user/security", [], "form[data-start-two-factor]");
        await admin.SubmitAsync("/admin/security", [], "form[data-start-two-factor]");
        var (twoFactorUser, _) = await portal.CreateOwnerAsync("Hostile Two Factor Co");
        using (var enrolling = await portal.LoginAsync(twoFactorUser.Email!))
        {
            await Portal.Tests.Features.Identity.TwoFactorSteps.EnrolAsync(portal, enrolling);
        }

        var twoFactorAdmin = PortalFixture.UniqueEmail("hostile-admin");
        await portal.SendAsync(new Portal.Features.Setup.CreateAdmin.Command { Email = twoFactorAdmin, FirstName = "Ada", LastName = "Admin", Password = PortalFixture.Password });
        using (var enrolling = portal.NewBrowser())
        {
            await enrolling.SubmitAsync("/admin/login", new() { ["Input.Email"] = twoFactorAdmin, ["Input.Password"] = PortalFixture.Password });
            await Portal.Tests.Features.Identity.TwoFactorSteps.EnrolAsync(portal, enrolling, "/admin/security");
        }

        // The passkey forms: a new passkey under way and one to remove on the owner's security page, and the code page of
        // a login that has a passkey (the login page offers a passkey to everyone).
        await ownerBrowser.SubmitAsync("/user/security", [], "form[data-start-passkey]");
        await portal.WithDbAsync(async db =>
        {
            db.Passkeys.Add(Portal.Features.Identity.Passkey.Register(owner.Id, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), new byte[77], 0, "Hostile owner key", portal.Factory.Time.GetUtcNow()));
            db.Passkeys.Add(Portal.Features.Identity.Passkey.Register(twoFactorUser.Id, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), new byte[77], 0, "Hostile second factor", portal.Factory.Time.GetUtcNow()));
            await db.SaveChangesAsync();
        });
        // An identity document waiting for review, so that the admin order page shows its approve and reject forms.
        await portal.WithDbAsync(async db =>
        {
            var protector = portal.Factory.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>()
                .CreateProtector(Portal.Features.Identity.IdentityDocumentProtection.Purpose);
            db.IdentityDocuments.Add(Portal.Features.Identity.IdentityDocument.Upload(owner.Id, Portal.Features.Identity.IdentityDocumentKind.Png, "hostile.png", 8,
                protector.Protect(Portal.Tests.Features.Identity.VerifyIdentityTests.Png()), portal.Factory.Time.GetUtcNow()));
            await db.SaveChangesAsync();
        });
        using var halfSignedIn = await Portal.Tests.Features.Identity.TwoFactorSteps.PasswordStepAsync(portal, twoFactorUser.Email!);
        using var halfSignedInAdmin = await Portal.Tests.Features.Identity.TwoFactorSteps.PasswordStepAsync(portal, twoFactorAdmin, "/admin/login");
        var failures = new List<string>();
        var forms = 0;

        foreach (var route in await RouteMatrixTests.DiscoverAsync(portal.Factory))
        {
            if (route.Template.StartsWith("/admin/jobs", StringComparison.Ordinal) || route.Template is "/healthz" or "/logout" or "/admin/logout"
                || route.Template.StartsWith("/error", StringComparison.Ordinal))
            {
                continue;
            }

            var path = route.Template.StartsWith("/invite", StringComparison.Ordinal)
                ? InvitationSteps.LinkIn(invitationLink)
                : route.Template == "/user/continue"
                    ? $"/user/continue?clientId={a.Id}&returnUrl=/tickets/{ticket.Id}"
                    : RouteValues.Fill(route.Template, a.Id, member.Id, invitationId, support, billing);
            using var anonymous = portal.NewBrowser();
            var browser = route.Template switch
            {
                "/login/code" => halfSignedIn,
                "/admin/login/code" => halfSignedInAdmin,
                _ => null,
            } ?? route.Access switch
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

            // Posted forms and search/filter forms alike: a GET form's fields arrive in the query string.
            foreach (var form in page.Document.QuerySelectorAll("main form").OfType<IHtmlFormElement>())
            {
                var fields = Fields(form);
                if (fields.Count(f => f.Key != "__RequestVerificationToken") == 0)
                {
                    continue;
                }

                forms++;
                var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? path : form.GetAttribute("action")!;
                var names = fields.Select(f => f.Key).Where(n => n != "__RequestVerificationToken").Distinct().ToList();
                var attempts = names.SelectMany(name => Corpus.Select(value => (Label: $"{name}={Describe(value)}", Body: Replace(fields, name, value))))
                    .Append(("every field duplicated", fields.Concat(fields.Where(f => f.Key != "__RequestVerificationToken").Select(f => new KeyValuePair<string, string>(f.Key, "duplicate"))).ToList()))
                    .Append(("extra fields", fields.Concat(ExtraFields.Select(x => new KeyValuePair<string, string>(x, a.Id.ToString()))).ToList()));
                foreach (var (label, body) in attempts)
                {
                    var failure = await SubmitAsync(browser, form.Method.Equals("get", StringComparison.OrdinalIgnoreCase) ? HttpMethod.Get : HttpMethod.Post, action, body);
                    SecurityReport.Add(SecurityReport.HostileInputs);
                    if (failure is not null)
                    {
                        failures.Add($"{action} {label}: {failure}");
                    }
                }
            }
        }

        var broken = await BrokenRecordsAsync();
        SecurityReport.Add(SecurityReport.LostWrites, broken.Count);
        var forged = await portal.WithDbAsync(db => UnsafeTextOfAsync(db, before));
        SecurityReport.Add(SecurityReport.ForgedLogLines, forged.Count);
        Assert.True(forms >= 8, $"Only {forms} forms were found to attack; the crawl is not reaching the pages.");
        Assert.True(failures.Count == 0, $"{failures.Count} hostile inputs were mishandled:\n" + string.Join("\n", failures.Take(50)));
        Assert.Empty(broken);
        Assert.True(forged.Count == 0, "Stored text holds control, bidi or line-separator characters:\n" + string.Join("\n", forged.Take(30)));
    }

    /// <summary>
    /// Multipart bodies a browser would never send, to every form that takes a file (found by crawling, as above): each
    /// is a 400 with the page that says so, never a 500, and nothing is stored.
    /// </summary>
    [Fact]
    public async Task Bad_multipart_bodies_to_upload_forms_answer_400_with_a_message_and_store_nothing()
    {
        var (owner, a) = await portal.CreateOwnerAsync("Hostile Upload Co");
        using var browser = await portal.LoginAsync(owner.Email!);
        var uploads = new List<string>();
        foreach (var route in await RouteMatrixTests.DiscoverAsync(portal.Factory))
        {
            if (route.Access is RouteMatrixTests.Access.Anonymous or RouteMatrixTests.Access.Admin || route.Template.Contains('{'))
            {
                continue;
            }

            var page = await browser.GetAsync(route.Template);
            if (page.Status == HttpStatusCode.OK && page.Document.QuerySelector("main form[enctype='multipart/form-data']") is not null)
            {
                uploads.Add(route.Template);
            }
        }

        Assert.Contains("/user/verify-identity", uploads);
        var failures = new List<string>();
        foreach (var path in uploads)
        {
            var token = await browser.AntiforgeryTokenAsync(path);
            var tokenPart = $"--b0undary\r\nContent-Disposition: form-data; name=\"__RequestVerificationToken\"\r\n\r\n{token}\r\n";
            var bodies = new (string Label, string ContentType, string Body)[]
            {
                ("no boundary", "multipart/form-data", tokenPart + "--b0undary--\r\n"),
                ("a boundary the body never uses", "multipart/form-data; boundary=other", tokenPart + "--b0undary--\r\n"),
                ("garbage", "multipart/form-data; boundary=b0undary", "\u0000\u0001 not multipart at all"),
                ("a part cut off in its headers", "multipart/form-data; boundary=b0undary", tokenPart + "--b0undary\r\nContent-Disposition: form-data; name=\"Input.Document\"; filena"),
                ("a file part never closed", "multipart/form-data; boundary=b0undary", tokenPart + "--b0undary\r\nContent-Disposition: form-data; name=\"Input.Document\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\u0089PNG\r\n\u001a\n"),
                ("a header line of 100 KB", "multipart/form-data; boundary=b0undary", tokenPart + "--b0undary\r\nContent-Disposition: form-data; name=\"Input.Document\"; filename=\"" + new string('a', 100_000) + "\"\r\n\r\nx\r\n--b0undary--\r\n"),
                ("a boundary of 200 characters", "multipart/form-data; boundary=" + new string('b', 200), tokenPart),
            };
            foreach (var (label, contentType, body) in bodies)
            {
                using var content = new ByteArrayContent(System.Text.Encoding.Latin1.GetBytes(body));
                content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                using var response = await browser.Client.PostAsync(path, content);
                SecurityReport.Add(SecurityReport.HostileInputs);
                var shown = await Page.ReadAsync(response);
                if (response.StatusCode == HttpStatusCode.InternalServerError)
                {
                    SecurityReport.Add(SecurityReport.ServerErrors);
                }

                if (response.StatusCode != HttpStatusCode.BadRequest || !shown.Text.Contains("could not be understood", StringComparison.Ordinal))
                {
                    failures.Add($"{path} {label}: {(int)response.StatusCode} {shown.Document.QuerySelector("main")?.TextContent.Trim()}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(await portal.WithDbAsync(db => db.IdentityDocuments.Where(d => d.UserId == owner.Id).ToListAsync()));
        _ = a;
    }

    private static IEnumerable<Microsoft.EntityFrameworkCore.Metadata.IEntityType> Tables(PortalDbContext db) =>
        db.Model.GetEntityTypes().Where(e => e.GetTableName() is not null && e.ClrType != typeof(Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey));

    /// <summary>What orders rows by when they were written: SQLite's rowid, PostgreSQL's transaction id of the row's last write.</summary>
    private static string RowPosition => TestDatabase.IsPostgres ? "xmin::text::bigint" : "rowid";

    /// <summary>The last rowid of each table, so that the check reads only rows written after it (other tests plant raw rows on purpose).</summary>
    public static async Task<Dictionary<string, long>> LastRowIdsAsync(PortalDbContext db)
    {
        var last = new Dictionary<string, long>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            foreach (var table in Tables(db).Select(e => e.GetTableName()!).Distinct())
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT COALESCE(MAX({RowPosition}), 0) FROM \"{table}\"";
                last[table] = Convert.ToInt64(await command.ExecuteScalarAsync());
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return last;
    }

    /// <summary>
    /// Every text column of every table the model maps (found from the EF model, so a new table is checked by
    /// construction), except the multi-line e-mail bodies and the data-protection key XML, in rows written after
    /// <paramref name="after"/>.
    /// </summary>
    public static async Task<List<string>> UnsafeTextOfAsync(PortalDbContext db, Dictionary<string, long> after)
    {
        var problems = new List<string>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            foreach (var entity in Tables(db))
            {
                var table = entity.GetTableName()!;
                var properties = entity.GetProperties().Where(p => p.ClrType == typeof(string))
                    .Where(p => !(entity.ClrType == typeof(EmailMessage) && p.Name is nameof(EmailMessage.TextBody) or nameof(EmailMessage.HtmlBody) or nameof(EmailMessage.LastError)))
                    .ToList();
                foreach (var property in properties)
                {
                    var column = property.GetColumnName();

                    // A ticket message has lines: its line breaks and tabs are text, any other control character is not.
                    var multiLine = entity.ClrType == typeof(Portal.Features.Support.TicketReply) && property.Name == nameof(Portal.Features.Support.TicketReply.Message);
                    await using var command = connection.CreateCommand();
                    command.CommandText = $"SELECT \"{column}\" FROM \"{table}\" WHERE \"{column}\" IS NOT NULL AND {RowPosition} > {after.GetValueOrDefault(table)}";
                    await using var reader = await command.ExecuteReaderAsync();
                    while (await reader.ReadAsync())
                    {
                        var value = reader.GetString(0);
                        if (Portal.Features.Shared.PlainText.HasUnsafe(multiLine ? value.Replace("\r", "").Replace("\n", "").Replace("\t", "") : value))
                        {
                            problems.Add($"{table}.{column}: {System.Text.Json.JsonSerializer.Serialize(value)}");
                        }
                    }
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return problems;
    }

    private static async Task<string?> SubmitAsync(Browser browser, HttpMethod method, string action, List<KeyValuePair<string, string>> body)
    {
        using var request = method == HttpMethod.Get
            ? new HttpRequestMessage(method, action.Split('?')[0] + "?" + await new FormUrlEncodedContent(body).ReadAsStringAsync())
            : new HttpRequestMessage(method, action) { Content = new FormUrlEncodedContent(body) };
        // Each attempt from its own address: the per-IP limits are tested elsewhere, and here they would hide the answers.
        request.Headers.Add(PortalFactory.TestIpHeader, $"127.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");
        using var response = await browser.Client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.InternalServerError)
        {
            SecurityReport.Add(SecurityReport.ServerErrors);
            return "500";
        }

        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.Redirect or HttpStatusCode.NotFound))
        {
            return $"unexpected {(int)response.StatusCode}";
        }

        var shown = response.StatusCode == HttpStatusCode.Redirect ? await browser.FollowAsync(response) : await Page.ReadAsync(response);
        if (shown.Status == HttpStatusCode.InternalServerError)
        {
            SecurityReport.Add(SecurityReport.ServerErrors);
            return "500 after the redirect";
        }

        var injected = shown.Document.QuerySelectorAll("script").Any(s => s.TextContent.Contains("portal-xss"))
            || shown.Document.QuerySelectorAll("[onerror]").Length > 0;
        if (injected)
        {
            SecurityReport.Add(SecurityReport.Leaks);
            return "rendered unencoded";
        }

        return null;
    }

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
                    else
                    {
                        // An unchecked box is still a field a hostile client can send.
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

    private static string Describe(string value) =>
        value.Length > 30 ? $"<{value.Length} chars>" : System.Text.Json.JsonSerializer.Serialize(value);

    [Fact]
    public async Task Every_route_that_takes_a_return_url_follows_non_ascii_targets_encoded_or_not_at_all()
    {
        var routes = (await RouteMatrixTests.DiscoverAsync(portal.Factory))
            .Where(r => r.Model?.GetProperties().Any(p => p.Name.Equals("ReturnUrl", StringComparison.OrdinalIgnoreCase)) == true).ToList();
        Assert.True(routes.Count >= 3, $"Only {routes.Count} routes take a returnUrl; the discovery is not finding them.");
        var adminEmail = PortalFixture.UniqueEmail("admin");
        await portal.SendAsync(new Portal.Features.Setup.CreateAdmin.Command { Email = adminEmail, FirstName = "Ada", LastName = "Admin", Password = PortalFixture.Password });
        var (single, _) = await portal.CreateOwnerAsync("Return Co");
        var (owner, _) = await portal.CreateOwnerAsync("Return Co");
        var second = await portal.CreateClientAsync(owner.Id, "Second Return Co");
        var (twoFactorUser, _) = await portal.CreateOwnerAsync("Return Two Factor Co");
        string userKey;
        using (var enrolling = await portal.LoginAsync(twoFactorUser.Email!))
        {
            (userKey, _) = await Portal.Tests.Features.Identity.TwoFactorSteps.EnrolAsync(portal, enrolling);
        }

        var twoFactorAdmin = PortalFixture.UniqueEmail("admin");
        await portal.SendAsync(new Portal.Features.Setup.CreateAdmin.Command { Email = twoFactorAdmin, FirstName = "Ada", LastName = "Admin", Password = PortalFixture.Password });
        string adminKey;
        using (var enrolling = portal.NewBrowser())
        {
            await enrolling.SubmitAsync("/admin/login", new() { ["Input.Email"] = twoFactorAdmin, ["Input.Password"] = PortalFixture.Password });
            (adminKey, _) = await Portal.Tests.Features.Identity.TwoFactorSteps.EnrolAsync(portal, enrolling, "/admin/security");
        }

        var failures = new List<string>();

        foreach (var route in routes)
        {
            foreach (var target in NonAsciiRedirectTargets)
            {
                SecurityReport.Add(SecurityReport.NonAsciiRedirects);
                var query = "?returnUrl=" + Uri.EscapeDataString(target);
                using var browser = portal.NewBrowser();
                var sessionsBefore = await portal.WithDbAsync(db => db.Sessions.CountAsync(s => s.UserId == single.Id));
                var (label, response, succeeded) = route.Template switch
                {
                    "/login" => ("POST /login", await browser.SubmitAsync("/login" + query, new() { ["Input.Email"] = single.Email!, ["Input.Password"] = PortalFixture.Password, ["ReturnUrl"] = target }), true),
                    "/admin/login" => ("POST /admin/login", await browser.SubmitAsync("/admin/login" + query, new() { ["Input.Email"] = adminEmail, ["Input.Password"] = PortalFixture.Password, ["ReturnUrl"] = "/admin" + target }), true),
                    "/user/accounts" => await SwitchAccountAsync(owner.Email!, second.Id, query, target),
                    "/user/continue" => await ContinueAsAsync(owner.Email!, second.Id, query, target),
                    "/user/confirm" => await ConfirmAsync(single.Email!, query),
                    "/login/code" => await CodeStepAsync(browser, "/login", twoFactorUser.Email!, userKey, query, target),
                    "/admin/login/code" => await CodeStepAsync(browser, "/admin/login", twoFactorAdmin, adminKey, query, "/admin" + target),
                    _ => throw new InvalidOperationException($"Teach this test how to use {route.Template} successfully with a returnUrl."),
                };
                var failure = CheckRedirect(response);
                if (failure is null && succeeded && response.StatusCode != HttpStatusCode.Redirect)
                {
                    failure = $"{(int)response.StatusCode} instead of the redirect of a success";
                }

                if (failure is null && route.Template == "/login" && !response.Headers.Contains("Set-Cookie"))
                {
                    failure = "logged in without a cookie";
                }

                if (failure is not null && route.Template == "/login"
                    && await portal.WithDbAsync(db => db.Sessions.CountAsync(s => s.UserId == single.Id)) != sessionsBefore)
                {
                    failure += ", and a session was written by the failed request";
                }

                if (failure is not null)
                {
                    failures.Add($"{label} returnUrl={Describe(target)}: {failure}");
                }

                // Already signed in, the login page sends the visitor on at once.
                if (route.Template == "/login")
                {
                    using var signedIn = await portal.LoginAsync(single.Email!);
                    if (CheckRedirect(await signedIn.Client.GetAsync("/login" + query)) is { } getFailure)
                    {
                        failures.Add($"GET /login signed in, returnUrl={Describe(target)}: {getFailure}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} redirects were mishandled:\n" + string.Join("\n", failures));
    }

    /// <summary>The step-up page: the password again, then back to the returnUrl.</summary>
    private async Task<(string, HttpResponseMessage, bool)> ConfirmAsync(string email, string query)
    {
        using var browser = await portal.LoginAsync(email);
        var response = await browser.SubmitAsync("/user/confirm" + query, new() { ["Input.Password"] = PortalFixture.Password });
        return ("POST /user/confirm", response, true);
    }

    /// <summary>A two-factor login through its code page, the returnUrl carried from the password step to the code step.</summary>
    private async Task<(string, HttpResponseMessage, bool)> CodeStepAsync(Browser browser, string loginPath, string email, string key, string query, string target)
    {
        var password = await browser.SubmitAsync(loginPath + query, new() { ["Input.Email"] = email, ["Input.Password"] = PortalFixture.Password, ["ReturnUrl"] = target });
        Assert.StartsWith(loginPath + "/code", password.Headers.Location!.PathAndQuery());
        Portal.Tests.Features.Identity.TwoFactorSteps.NextStep(portal);
        var response = await browser.SubmitAsync(password.Headers.Location!.PathAndQuery(), new() { ["Input.Code"] = Portal.Tests.Features.Identity.TwoFactorSteps.CodeAt(portal, key) });
        return ($"POST {loginPath}/code", response, true);
    }

    private async Task<(string, HttpResponseMessage, bool)> SwitchAccountAsync(string email, int clientId, string query, string target)
    {
        using var browser = await portal.LoginAsync(email);
        var token = await browser.AntiforgeryTokenAsync("/user/accounts" + query);
        var response = await browser.PostAsync("/user/accounts" + query, [new("__RequestVerificationToken", token), new("clientId", clientId.ToString()), new("ReturnUrl", target)]);
        return ("POST /user/accounts", response, true);
    }

    /// <summary>"Continue as B?" confirmed, with the target as the link to go on to.</summary>
    private async Task<(string, HttpResponseMessage, bool)> ContinueAsAsync(string email, int clientId, string query, string target)
    {
        using var browser = await portal.LoginAsync(email);
        var url = $"/user/continue{query}&clientId={clientId}";
        var token = await browser.AntiforgeryTokenAsync(url);
        var response = await browser.PostAsync(url, [new("__RequestVerificationToken", token), new("ClientId", clientId.ToString()), new("ReturnUrl", target)]);
        return ("POST /user/continue", response, true);
    }

    /// <summary>A redirect must name a path on this site in plain ASCII, as a Location header can carry it.</summary>
    private static string? CheckRedirect(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.InternalServerError)
        {
            SecurityReport.Add(SecurityReport.ServerErrors);
            return "500";
        }

        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            return null;
        }

        var location = response.Headers.GetValues("Location").Single();
        return location.All(c => c is > ' ' and < '\u007f') && location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal)
            ? null
            : $"redirected to {Describe(location)}";
    }

    /// <summary>Records a half-finished write would leave: an owner without an association, an association without permissions.</summary>
    private Task<List<string>> BrokenRecordsAsync() => portal.WithDbAsync(async db =>
    {
        var problems = new List<string>();
        problems.AddRange(await db.Clients.Where(c => !db.ClientUsers.Any(cu => cu.ClientId == c.Id && cu.UserId == c.OwnerUserId))
            .Select(c => $"client {c.Id} has no association for its owner").ToListAsync());
        problems.AddRange(await db.ClientUsers.Where(cu => cu.StoredPermissions == "").Select(cu => $"association {cu.Id} has no permissions").ToListAsync());
        problems.AddRange(await db.Invitations.Where(i => i.Status == InvitationStatus.Accepted && i.AcceptedByUserId != null
                && db.Users.Any(u => u.Id == i.AcceptedByUserId) && !db.ClientUsers.Any(cu => cu.ClientId == i.ClientId && cu.UserId == i.AcceptedByUserId))
            .Select(i => $"invitation {i.Id} was accepted but made no association").ToListAsync());
        return problems;
    });
}
