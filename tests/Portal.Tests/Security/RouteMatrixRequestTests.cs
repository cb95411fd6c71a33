using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Tests.Infrastructure;
using Portal.Features.Membership;
using Portal.Tests.Features.Membership;

namespace Portal.Tests.Security;

/// <summary>
/// The route matrix as the visitor who may use each route: every HTTP method gets an answer that is not a 500 (a
/// method the page has no handler for is a 405 naming the ones it has), and a form field or query value named like a
/// route parameter never takes the place of the route's own id.
/// </summary>
public sealed partial class RouteMatrixTests
{
    private static readonly HttpMethod[] EveryMethod =
    [
        HttpMethod.Get, HttpMethod.Head, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Options, HttpMethod.Trace,

        // Last: a post is the one method that may act (on records that do not exist, see below).
        HttpMethod.Post,
    ];

    /// <summary>An id no record has: a post that reaches its handler finds nothing to change.</summary>
    private const int Absent = 2_147_480_000;

    [Fact]
    public async Task Every_route_answers_every_http_method_without_a_server_error()
    {
        var routes = await DiscoverAsync(portal.Factory);
        var world = await BuildWorldAsync();
        using var admin = await portal.CreateAdminBrowserAsync();
        var adminToken = await admin.AntiforgeryTokenAsync("/admin/settings");
        var ownerToken = await world.ClientUser.AntiforgeryTokenAsync("/user/accounts");
        var failures = new List<string>();

        foreach (var route in routes)
        {
            // A fresh anonymous visitor per route, from its own address: eight requests to a rate-limited page stay under its limit.
            using var anonymous = portal.NewBrowser();
            var (browser, token) = route.Access switch
            {
                Access.Anonymous => (anonymous, await anonymous.AntiforgeryTokenAsync("/login")),
                Access.Admin => (admin, adminToken),
                _ => (world.ClientUser, ownerToken),
            };

            foreach (var method in EveryMethod)
            {
                var isPage = route.Model is not null;
                var handled = method == HttpMethod.Get || method == HttpMethod.Head || (method == HttpMethod.Post && route.PostHandlers.Count > 0);
                var path = method == HttpMethod.Post && route.PostHandlers.Count > 0 ? FillAny(route.Template, world, absent: true) : FillAny(route.Template, world, absent: false);
                if (method == HttpMethod.Post && route.PostHandlers.Count > 0 && route.PostHandlers[0] is { } handler)
                {
                    path += "?handler=" + handler;
                }

                using var request = new HttpRequestMessage(method, path);
                if (method != HttpMethod.Get && method != HttpMethod.Head)
                {
                    request.Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]);
                }

                using var response = await browser.Client.SendAsync(request);
                SecurityReport.Add(SecurityReport.MethodRequests);
                if (response.StatusCode == HttpStatusCode.InternalServerError)
                {
                    SecurityReport.Add(SecurityReport.ServerErrors);
                    failures.Add($"{method} {path} ({route.Access}): 500");
                }
                else if (isPage && !handled
                         && (response.StatusCode != (method == HttpMethod.Options ? HttpStatusCode.NoContent : HttpStatusCode.MethodNotAllowed)
                             || !response.Content.Headers.Allow.Contains("GET")))
                {
                    failures.Add($"{method} {path} ({route.Access}): {(int)response.StatusCode} {response.Headers.Location}, expected {(method == HttpMethod.Options ? 204 : 405)} with an Allow header");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} method checks failed:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task A_form_field_or_query_value_named_like_a_route_parameter_never_replaces_the_route_id()
    {
        var routes = (await DiscoverAsync(portal.Factory)).Where(r => r.Model is not null && r.Template.Contains('{')).ToList();
        var world = await BuildWorldAsync();

        // Records the visitors may act on, none of them named by the route: another invitation and member of A, and
        // another account B that the same member belongs to, with its own invitation.
        var decoyMember = await portal.CreateUserAsync(PortalFixture.UniqueEmail("decoy-member"));
        await portal.AssociateAsync(world.A.Id, decoyMember.Id, Permission.Tickets);
        await world.ClientUser.InviteAsync(PortalFixture.UniqueEmail("decoy-invitee"));
        var decoyInvitation = await portal.WithDbAsync(db => db.Invitations.Where(i => i.ClientId == world.A.Id).OrderByDescending(i => i.Id).Select(i => i.Id).FirstAsync());
        var (otherOwner, b) = await portal.CreateOwnerAsync("Decoy Co");
        await portal.AssociateAsync(b.Id, decoyMember.Id, Permission.Tickets);
        using (var otherOwnerBrowser = await portal.LoginAsync(otherOwner.Email!))
        {
            await otherOwnerBrowser.InviteAsync(PortalFixture.UniqueEmail("decoy-b-invitee"));
        }

        var decoyInvitationOfB = await portal.WithDbAsync(db => db.Invitations.Where(i => i.ClientId == b.Id).Select(i => i.Id).SingleAsync());
        using var admin = await portal.CreateAdminBrowserAsync();
        var adminToken = await admin.AntiforgeryTokenAsync("/admin/settings");
        var ownerToken = await world.ClientUser.AntiforgeryTokenAsync("/user/accounts");
        var before = (await SnapshotAsync(world.A.Id), await SnapshotAsync(b.Id));
        var failures = new List<string>();

        foreach (var route in routes)
        {
            var (browser, token) = route.Access switch
            {
                Access.Anonymous => (portal.NewBrowser(), ""),
                Access.Admin => (admin, adminToken),
                _ => (world.ClientUser, ownerToken),
            };

            // Every parameter of the route, in the form and in the query, names a decoy; the route names nothing that exists.
            var decoys = route.Template.StartsWith("/invite/", StringComparison.Ordinal)
                ? [new("token", "other-token")]
                : RouteValues.Of(route.Template, b.Id, decoyMember.Id, route.Access == Access.Admin ? decoyInvitationOfB : decoyInvitation);
            var query = string.Join("&", decoys.Select(d => $"{d.Key}={d.Value}"));
            var path = FillAny(route.Template, world, absent: true);
            var attempts = new List<(string Label, Func<Task<HttpResponseMessage>> Send)> { ("GET", () => browser.Client.GetAsync($"{path}?{query}")) };
            foreach (var handler in route.PostHandlers)
            {
                var url = handler is null ? $"{path}?{query}" : $"{path}?handler={handler}&{query}";
                var form = decoys.Append(new("__RequestVerificationToken", token)).Append(new("Input.Confirm", "true")).Append(new("Input.DeleteUsers", "true")).ToList();
                attempts.Add(($"POST {handler ?? "(default)"}", () => browser.PostAsync(url, form)));
            }

            foreach (var (label, send) in attempts)
            {
                using var response = await send();
                SecurityReport.Add(SecurityReport.RouteIdOverrides, decoys.Count);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.InternalServerError)
                {
                    SecurityReport.Add(SecurityReport.ServerErrors);
                    failures.Add($"{label} {path} with {query}: 500");
                }

                if (body.Contains(decoyMember.Email!, StringComparison.OrdinalIgnoreCase) || body.Contains("Decoy Co", StringComparison.Ordinal) || body.Contains("decoy-", StringComparison.Ordinal))
                {
                    SecurityReport.Add(SecurityReport.Leaks);
                    failures.Add($"{label} {path} with {query}: the page shows the record the form named instead of the route's");
                }
            }

            if ((await SnapshotAsync(world.A.Id), await SnapshotAsync(b.Id)) != before)
            {
                SecurityReport.Add(SecurityReport.LostWrites);
                failures.Add($"{route.Template} with {query}: the record named by the form or query changed");
                before = (await SnapshotAsync(world.A.Id), await SnapshotAsync(b.Id));
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} route-id checks failed:\n" + string.Join("\n", failures));
    }

    /// <summary>Fills any route of the matrix: with account A's records, or with ids no record has.</summary>
    private static string FillAny(string template, World world, bool absent)
    {
        if (template.StartsWith("/invite/", StringComparison.Ordinal))
        {
            return "/invite/no-such-invitation";
        }

        return absent ? RouteValues.Fill(template, Absent, Absent, Absent, new(Absent, Absent, Absent)) : Fill(template, world);
    }
}
