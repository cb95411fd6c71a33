using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Tests.Features.Support;
using Portal.Tests.Infrastructure;
using Portal.Features.Identity;
using Portal.Features.Membership;
using Portal.Features.Clients;
using Portal.Features.Billing;
using Portal.Tests.Features.Membership;

namespace Portal.Tests.Security;

/// <summary>
/// Every route the app serves, read from its own endpoint table, tried by every visitor who must be refused:
/// anonymous, a user of another account, a user without the page's permission, a non-owner on owner pages, a client
/// user on admin pages. Refused means a redirect to a login, a 403 or a 404, never the other account's data and never
/// a write. A page joins the matrix by declaring its access with the attributes the app enforces; a route the matrix
/// cannot classify or fill fails the test.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed partial class RouteMatrixTests(PortalFixture portal)
{
    public enum Access
    {
        Anonymous,
        SignedIn,
        Account,
        Permission,
        Owner,
        Admin,
    }

    public sealed record Route(string Template, Access Access, Permission? Permission, IReadOnlyList<string?> PostHandlers, string Source, Type? Model = null);

    /// <summary>The routes of the app with what each needs, from the page attributes and the admin folder convention.</summary>
    public static async Task<IReadOnlyList<Route>> DiscoverAsync(PortalFactory factory)
    {
        var routes = new List<Route>();
        var loader = factory.Services.GetRequiredService<PageLoader>();
        foreach (var endpoint in factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var template = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var page = endpoint.Metadata.GetMetadata<PageActionDescriptor>();
            if (page is null)
            {
                routes.Add(template switch
                {
                    "/healthz" => new Route(template, Access.Anonymous, null, [], "health check"),
                    "/{*path}" => new Route(template, Access.Anonymous, null, [], "unknown addresses (404)"),
                    _ when template.StartsWith("/admin/jobs", StringComparison.Ordinal) => new Route(template, Access.Admin, null, [], "jobs dashboard"),
                    _ => throw new InvalidOperationException($"The matrix cannot classify the non-page endpoint {template}: say what it needs here."),
                });
                continue;
            }

            var compiled = await loader.LoadAsync(page, endpoint.Metadata);
            var model = compiled.ModelTypeInfo!.AsType();
            var posts = compiled.HandlerMethods.Where(h => h.HttpMethod == "Post").Select(h => h.Name).Distinct().ToList();
            routes.Add(new Route(template, Classify(page.ViewEnginePath, model, out var permission), permission, posts, page.ViewEnginePath, model));
        }

        return routes.OrderBy(r => r.Template, StringComparer.Ordinal).ToList();
    }

    private static Access Classify(string viewPath, Type model, out Permission? permission)
    {
        permission = model.GetCustomAttribute<RequirePermissionAttribute>()?.Permission;
        if (model.GetCustomAttribute<AllowAnonymousAttribute>() is not null)
        {
            return Access.Anonymous;
        }

        if (AdminArea.Holds(viewPath) || model.GetCustomAttribute<RequireAdminAttribute>() is not null)
        {
            return Access.Admin;
        }

        return model.GetCustomAttributes<RequireAccountAttribute>().ToList() switch
        {
            var r when r.Any(a => a is RequireOwnerAttribute or RequireUserManagementAttribute) => Access.Owner,
            var r when r.Any(a => a is RequirePermissionAttribute) => Access.Permission,
            var r when r.Count > 0 => Access.Account,
            _ when model.GetCustomAttribute<RequireSignedInAttribute>() is not null => Access.SignedIn,
            _ => throw new InvalidOperationException(
                $"The matrix cannot classify {viewPath}: its page model declares no access. Add [AllowAnonymous], [RequireSignedIn], " +
                "[RequireAccount], [RequirePermission(...)], [RequireOwner] or [RequireUserManagement]."),
        };
    }

    private sealed record World(Client A, User Owner, User Member, int InvitationId, string Marker, Browser Outsider, Browser NonOwner, Browser ClientUser)
    {
        public RouteValues.SupportIds Support { get; init; } = new();

        public RouteValues.BillingIds Billing { get; init; } = new();
    }

    private async Task<World> BuildWorldAsync()
    {
        var marker = "MatrixA" + Guid.NewGuid().ToString("N")[..10];
        var (owner, a) = await portal.CreateOwnerAsync(marker);
        var member = await portal.CreateUserAsync(PortalFixture.UniqueEmail(marker.ToLowerInvariant()), firstName: marker);
        await portal.AssociateAsync(a.Id, member.Id, Permission.Tickets);
        using (var ownerBrowser = await portal.LoginAsync(owner.Email!))
        {
            await ownerBrowser.InviteAsync(PortalFixture.UniqueEmail("matrix-invitee"));
        }

        var invitationId = await portal.WithDbAsync(db => db.Invitations.Where(i => i.ClientId == a.Id).Select(i => i.Id).SingleAsync());
        var (outsiderUser, _) = await portal.CreateOwnerAsync("Outsider Co");
        var deputy = await portal.CreateUserAsync();
        await portal.AssociateAsync(a.Id, deputy.Id, [.. Enum.GetValues<Permission>()]);
        var department = await portal.DepartmentAsync();
        var ticket = await portal.TicketAsync(a.Id, owner.AsSender(), $"{marker} ticket");
        var contact = await portal.ContactAsync(a.Id, PortalFixture.UniqueEmail(marker.ToLowerInvariant() + "-contact"));
        var billing = await RouteValues.BillingOfAsync(portal, a.Id, owner.Id);
        return new World(a, owner, member, invitationId, marker,
            await portal.LoginAsync(outsiderUser.Email!), await portal.LoginAsync(deputy.Email!), await portal.LoginAsync(owner.Email!))
        {
            Support = new(ticket.Id, contact.Id, department.Id, EmailId: await portal.WithDbAsync(db => db.EmailMessages.Where(m => m.ClientId == a.Id).Select(m => m.Id).FirstAsync())),
            Billing = billing,
        };
    }

    /// <summary>Fills a route's parameters with objects of account A.</summary>
    private static string Fill(string template, World world) => RouteValues.Fill(template, world.A.Id, world.Member.Id, world.InvitationId, world.Support, world.Billing);

    [Fact]
    public async Task Every_route_is_classified_and_refuses_every_visitor_who_may_not_use_it()
    {
        var routes = await DiscoverAsync(portal.Factory);
        var world = await BuildWorldAsync();
        using var anonymous = portal.NewBrowser();
        var anonymousToken = await anonymous.AntiforgeryTokenAsync("/login");
        var failures = new List<string>();
        SecurityReport.Add(SecurityReport.RoutesInMatrix, routes.Count);

        foreach (var route in routes.Where(r => r.Access != Access.Anonymous))
        {
            var path = Fill(route.Template, world);
            var visitors = new List<(string Name, Browser Browser, string Token, Func<HttpResponseMessage, bool> Refused)>
            {
                ("anonymous", anonymous, anonymousToken, r => RedirectsTo(r, route.Access == Access.Admin ? "/admin/login" : "/login") || r.StatusCode is HttpStatusCode.Unauthorized),
            };
            if (route.Access == Access.Admin)
            {
                visitors.Add(("a client user", world.ClientUser, await world.ClientUser.AntiforgeryTokenAsync("/user/accounts"),
                    r => RedirectsTo(r, "/admin/login") || r.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized));
            }
            else
            {
                if (route.Template.Contains('{'))
                {
                    visitors.Add(("a user of another account", world.Outsider, await world.Outsider.AntiforgeryTokenAsync("/user/accounts"),
                        r => r.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden));
                }

                if (route.Access == Access.Owner)
                {
                    visitors.Add(("a non-owner with every permission", world.NonOwner, await world.NonOwner.AntiforgeryTokenAsync("/user/accounts"),
                        r => r.StatusCode is HttpStatusCode.Forbidden));
                }

                if (route.Access == Access.Permission)
                {
                    using var lacking = await MemberLackingAsync(world.A.Id, route.Permission!.Value);
                    visitors.Add(($"a member without {route.Permission}", lacking, await lacking.AntiforgeryTokenAsync("/user/accounts"),
                        r => r.StatusCode is HttpStatusCode.Forbidden));
                    await CheckAsync(route, path, visitors[^1], world, failures);
                    visitors.RemoveAt(visitors.Count - 1);
                }
            }

            foreach (var visitor in visitors)
            {
                await CheckAsync(route, path, visitor, world, failures);
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} route checks failed:\n" + string.Join("\n", failures));
    }

    private async Task CheckAsync(Route route, string path, (string Name, Browser Browser, string Token, Func<HttpResponseMessage, bool> Refused) visitor, World world, List<string> failures)
    {
        var before = await SnapshotAsync(world.A.Id);
        var requests = new List<(string Method, Func<Task<HttpResponseMessage>> Send)> { ("GET", () => visitor.Browser.Client.GetAsync(path)) };
        foreach (var handler in route.PostHandlers)
        {
            var url = handler is null ? path : $"{path}?handler={handler}";
            requests.Add(($"POST {handler ?? "(default)"}", () => visitor.Browser.PostAsync(url, WriteAttempt(visitor.Token, world))));
        }

        if (route.PostHandlers.Count == 0 && route.Access != Access.Admin)
        {
            requests.Add(("POST (none declared)", () => visitor.Browser.PostAsync(path, WriteAttempt(visitor.Token, world))));
        }

        foreach (var (method, send) in requests)
        {
            using var response = await send();
            SecurityReport.Add(SecurityReport.MatrixRequests);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.InternalServerError)
            {
                SecurityReport.Add(SecurityReport.ServerErrors);
            }

            // Members of A legitimately see A's name in the navigation; nobody refused may see A's people.
            var secrets = visitor.Browser == world.NonOwner || visitor.Name.StartsWith("a member", StringComparison.Ordinal)
                ? new[] { world.Member.Email!, world.Owner.Email! }
                : [world.Marker, world.Member.Email!, world.Owner.Email!];
            if (secrets.Any(secret => body.Contains(secret, StringComparison.OrdinalIgnoreCase)))
            {
                SecurityReport.Add(SecurityReport.Leaks);
                failures.Add($"{method} {path} as {visitor.Name}: the response shows account A's data");
            }

            // A page with no POST handler answers any POST with 405 before it looks at the id: a refusal that reveals nothing.
            if (!visitor.Refused(response) && !(method == "POST (none declared)" && response.StatusCode == HttpStatusCode.MethodNotAllowed))
            {
                failures.Add($"{method} {path} ({route.Access}) as {visitor.Name}: {(int)response.StatusCode} {response.Headers.Location}");
            }
        }

        if (await SnapshotAsync(world.A.Id) != before)
        {
            SecurityReport.Add(SecurityReport.LostWrites);
            failures.Add($"{path} as {visitor.Name}: account A changed");
        }
    }

    private async Task<Browser> MemberLackingAsync(int clientId, Permission permission)
    {
        var user = await portal.CreateUserAsync();
        await portal.AssociateAsync(clientId, user.Id, [.. Enum.GetValues<Permission>().Where(p => p != permission)]);
        return await portal.LoginAsync(user.Email!);
    }

    /// <summary>A form post that would change something if the page let it through.</summary>
    private static List<KeyValuePair<string, string>> WriteAttempt(string token, World world) =>
    [
        new("__RequestVerificationToken", token),
        new("Input.Email", PortalFixture.UniqueEmail("intruder")),
        new("Input.FirstName", "Intruder"),
        new("Input.LastName", "Intruder"),
        new("Input.CompanyName", "Intruded"),
        new("Input.AllPermissions", "true"),
        new("Input.Version", "0"),
        new("Input.ClientId", world.A.Id.ToString()),
        new("ClientId", world.A.Id.ToString()),
        new("clientId", world.A.Id.ToString()),
        new("OwnerUserId", world.Member.Id.ToString()),
        new("Input.OwnerUserId", world.Member.Id.ToString()),
        new("Input.DeleteUsers", "true"),
        new("Input.Confirm", "true"),
    ];

    private static bool RedirectsTo(HttpResponseMessage response, string path) =>
        response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.PathAndQuery().StartsWith(path, StringComparison.Ordinal);

    private Task<string> SnapshotAsync(int clientId) => portal.WithDbAsync(async db =>
    {
        var client = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clientId);
        var users = await db.ClientUsers.Where(cu => cu.ClientId == clientId).OrderBy(cu => cu.UserId).Select(cu => $"{cu.UserId}:{cu.StoredPermissions}:{cu.Version}").ToListAsync();
        var invitations = await db.Invitations.Where(i => i.ClientId == clientId).OrderBy(i => i.Id).Select(i => $"{i.Id}:{i.Status}:{i.TokenHash}").ToListAsync();
        var settings = await db.Settings.Where(s => s.Key != "AdminSetupTokenHash").OrderBy(s => s.Key).Select(s => s.Key + "=" + s.Value).ToListAsync();
        var billing = await db.Orders.Where(o => o.ClientId == clientId).OrderBy(o => o.Id)
            .Select(o => $"{o.Id}:{o.Status}:{o.Invoice!.Status}:{o.Invoice.AmountPaid}:{o.Services.Count(s => s.Status == ServiceStatus.Active)}:{o.Services.Count(s => s.CancellationRequestedAt != null)}:{string.Join("/", o.Services.Select(s => s.PasswordProtected))}")
            .ToListAsync();
        var memberUsers = await db.Users.Where(u => db.ClientUsers.Any(cu => cu.ClientId == clientId && cu.UserId == u.Id))
            .OrderBy(u => u.Id).Select(u => $"{u.Id}:{u.Email}:{u.FirstName}:{u.LastName}:{u.SecurityStamp}").ToListAsync();
        var support = await db.Tickets.Where(t => t.ClientId == clientId).OrderBy(t => t.Id)
            .Select(t => $"{t.Id}:{t.Status}:{t.Priority}:{t.Replies.Count}").ToListAsync();
        var contacts = await db.Contacts.Where(c => c.ClientId == clientId).OrderBy(c => c.Id).Select(c => $"{c.Id}:{c.Email}:{c.Name}").ToListAsync();
        memberUsers.AddRange(support);
        memberUsers.AddRange(contacts);
        return client is null
            ? "deleted"
            : $"{client.FirstName}|{client.LastName}|{client.CompanyName}|{client.Email}|{client.Status}|{client.OwnerUserId}|{string.Join(",", users)}|{string.Join(",", invitations)}|{string.Join(",", settings)}|{string.Join(",", memberUsers)}|{string.Join(",", billing)}";
    });
}
