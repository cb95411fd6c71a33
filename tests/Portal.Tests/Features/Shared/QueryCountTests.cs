using System.Net;
using Portal.Infrastructure.Data;
using Portal.Tests.Features.Support;
using Portal.Tests.Infrastructure;
using Portal.Features.Identity;
using Portal.Features.Clients;
using Portal.Features.Membership;
using Portal.Features.Shared;
using Portal.Features.Activity;
using Portal.Tests.Features.Billing;

namespace Portal.Tests.Features.Shared;

/// <summary>
/// No list page runs a query per row: each is viewed with 10 rows and again with 100, and the number of database
/// round trips of the page view must not grow.
/// </summary>
[Collection(SharedCollection.Name)]
public sealed class QueryCountTests(PortalFixture portal)
{
    private readonly SliceFixture slice = new(portal);

    [Fact]
    public async Task Account_users_cost_the_same_queries_for_10_and_100_users()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        await AssertNoGrowthAsync(browser, "/account/users", n => MembersAsync(client.Id, n));
    }

    [Fact]
    public async Task Choose_account_costs_the_same_queries_for_10_and_100_accounts()
    {
        var user = await portal.CreateUserAsync();
        var (_, first) = await portal.CreateOwnerAsync();
        await portal.AssociateAsync(first.Id, user.Id, Permission.Tickets);
        using var browser = await portal.LoginAsync(user.Email!);
        await AssertNoGrowthAsync(browser, "/user/accounts", n => AccountsOwnedByAsync(user.Id, n, "Choice"));
    }

    [Fact]
    public async Task Account_activity_costs_the_same_queries_for_10_and_100_entries()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        await AssertNoGrowthAsync(browser, "/account/activity", n => ActivityAsync(client.Id, owner.Id, n));
    }

    [Fact]
    public async Task Invoices_cost_the_same_queries_for_10_and_100_invoices()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        var product = await slice.ProductAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        await AssertNoGrowthAsync(browser, "/invoices", async n =>
        {
            for (var i = 0; i < n; i++)
            {
                await slice.PlaceOrderAsync(client.Id, owner.Id, (product, 1));
            }
        });
    }

    [Fact]
    public async Task Tickets_cost_the_same_queries_for_10_and_100_tickets()
    {
        var (owner, client) = await portal.CreateOwnerAsync();
        using var browser = await portal.LoginAsync(owner.Email!);
        await AssertNoGrowthAsync(browser, "/tickets", async n =>
        {
            for (var i = 0; i < n; i++)
            {
                await portal.TicketAsync(client.Id, owner.AsSender(), $"Question {i}");
            }
        });
    }

    [Fact]
    public async Task Admin_lists_cost_the_same_queries_for_10_and_100_rows()
    {
        using var admin = await portal.CreateAdminBrowserAsync();
        var owner = await portal.CreateUserAsync();
        var tag = "Zq" + Guid.NewGuid().ToString("N")[..8];
        await AssertNoGrowthAsync(admin, $"/admin/clients?q={tag}", n => AccountsOwnedByAsync(owner.Id, n, tag));
        var (_, client) = await portal.CreateOwnerAsync();
        await AssertNoGrowthAsync(admin, $"/admin/activity?clientId={client.Id}", n => ActivityAsync(client.Id, owner.Id, n));
        await AssertNoGrowthAsync(admin, $"/admin/tickets?q={tag}", async n =>
        {
            for (var i = 0; i < n; i++)
            {
                await portal.TicketAsync(client.Id, owner.AsSender(), $"{tag} question {i}");
            }
        });
        await AssertNoGrowthAsync(admin, $"/admin/users?q={tag}", n => UsersAsync(n, tag));
    }

    private async Task AssertNoGrowthAsync(Browser browser, string url, Func<int, Task> addRows)
    {
        await addRows(10);
        await CountAsync(browser, url);
        var withTen = await CountAsync(browser, url);
        await addRows(90);
        var withHundred = await CountAsync(browser, url);

        Assert.True(withHundred.Count == withTen.Count,
            $"{url}: {withTen.Count} queries with 10 rows, {withHundred.Count} with 100:\n{string.Join("\n---\n", withHundred)}");
    }

    private async Task<IReadOnlyList<string>> CountAsync(Browser browser, string url)
    {
        var (page, commands) = await portal.GetCountingAsync(browser, url);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return commands;
    }

    private Task MembersAsync(int clientId, int count) => portal.WithDbAsync(async db =>
    {
        var client = await db.Clients.FindAsync(clientId);
        foreach (var user in NewUsers(count, "Member"))
        {
            db.Users.Add(user);
            db.ClientUsers.Add(ClientUser.Associate(client!, user, PermissionSet.Of([Permission.Tickets, Permission.Invoices])));
        }

        await db.SaveChangesAsync();
    });

    private Task AccountsOwnedByAsync(int userId, int count, string company) => portal.WithDbAsync(async db =>
    {
        var owner = await db.Users.FindAsync(userId);
        for (var i = 0; i < count; i++)
        {
            db.Clients.Add(Client.Open(new ClientProfile(owner!.FirstName, owner.LastName, $"{company} {Guid.NewGuid():N}", owner.Email!, "1 Road", "Town", "", "12345", "Country", "+1 555 0100"),
                owner, portal.Factory.Time.GetUtcNow()));
        }

        await db.SaveChangesAsync();
    });

    private Task ActivityAsync(int clientId, int userId, int count) => portal.WithDbAsync(async db =>
    {
        for (var i = 0; i < count; i++)
        {
            db.ActivityLog.Add(new ActivityLogEntry(portal.Factory.Time.GetUtcNow(), $"Entry {i}", clientId, userId, null, "203.0.113.9"));
        }

        await db.SaveChangesAsync();
    });

    private Task UsersAsync(int count, string lastName) => portal.WithDbAsync(async db =>
    {
        db.Users.AddRange(NewUsers(count, lastName));
        await db.SaveChangesAsync();
    });

    private IEnumerable<User> NewUsers(int count, string lastName) => Enumerable.Range(0, count).Select(_ =>
    {
        var email = PortalFixture.UniqueEmail("listed");
        return new User
        {
            UserName = email, NormalizedUserName = EmailAddress.Normalize(email), Email = email, NormalizedEmail = EmailAddress.Normalize(email),
            FirstName = "Listed", LastName = lastName, SecurityStamp = Guid.NewGuid().ToString("N"), CreatedAt = portal.Factory.Time.GetUtcNow(),
        };
    });
}
