using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Data;
using Portal.Features.Membership;
using Portal.Features.Clients;
using Portal.Features.Identity;

namespace Portal.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Portal";
}

/// <summary>
/// One app for the whole run (Hangfire keeps static state). Tests never share rows: each makes its own users and
/// clients with unique e-mails.
/// </summary>
public sealed class PortalFixture : IAsyncLifetime
{
    public const string Password = "violet harbour engine sketch";

    private static int _counter;

    public PortalFactory Factory { get; } = new();

    public Task InitializeAsync()
    {
        _ = Factory.Server;
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }

    public static string UniqueEmail(string name = "user") => $"{name}{Interlocked.Increment(ref _counter)}-{Guid.NewGuid().ToString("N")[..6]}@example.test";

    public Browser NewBrowser()
    {
        var cookies = new System.Net.CookieContainer();
        var client = Factory.CreateDefaultClient(new Uri(PortalFactory.BaseUrl), new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(cookies));
        var ip = $"127.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}";
        client.DefaultRequestHeaders.Add(PortalFactory.TestIpHeader, ip);
        return new Browser(client, cookies, ip);
    }

    /// <summary>Sends a saved Cookie header from a fresh browser, as an attacker replaying a stolen cookie would.</summary>
    public async Task<HttpResponseMessage> ReplayCookieAsync(string cookie, string path, IEnumerable<KeyValuePair<string, string>>? form = null)
    {
        using var replay = NewBrowser();
        var request = new HttpRequestMessage(form is null ? HttpMethod.Get : HttpMethod.Post, path);
        request.Headers.Add("Cookie", cookie);
        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        var response = await replay.Client.SendAsync(request);
        Assert.NotEqual(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
        return response;
    }

    public async Task<T> WithDbAsync<T>(Func<PortalDbContext, Task<T>> action)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    public async Task WithDbAsync(Func<PortalDbContext, Task> action)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    public async Task<TResponse> SendAsync<TResponse>(ICommand<TResponse> command)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command);
    }

    public async Task<User> CreateUserAsync(string? email = null, string firstName = "Test", string lastName = "User")
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        email ??= UniqueEmail();
        var user = new User { UserName = email, Email = email, FirstName = firstName, LastName = lastName, CreatedAt = Factory.Time.GetUtcNow() };
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return user;
    }

    public async Task<Client> CreateClientAsync(int ownerUserId, string company = "Acme Ltd", ClientStatus status = ClientStatus.Active)
    {
        return await WithDbAsync(async db =>
        {
            var owner = await db.Users.SingleAsync(u => u.Id == ownerUserId);
            var client = Client.Open(new ClientProfile(owner.FirstName, owner.LastName, company, owner.Email!, "1 Road", "Town", "", "12345", "Country", "+1 555 0100"), owner, Factory.Time.GetUtcNow());
            db.Clients.Add(client);
            await db.SaveChangesAsync();
            if (status != ClientStatus.Active)
            {
                client.ChangeStatus(status, Factory.Time.GetUtcNow());
                await db.SaveChangesAsync();
            }

            return client;
        });
    }

    public Task AssociateAsync(int clientId, int userId, params Permission[] permissions) =>
        WithDbAsync(async db =>
        {
            var client = await db.Clients.SingleAsync(c => c.Id == clientId);
            var user = await db.Users.SingleAsync(u => u.Id == userId);
            db.ClientUsers.Add(ClientUser.Associate(client, user, PermissionSet.Of(permissions)));
            await db.SaveChangesAsync();
        });

    /// <summary>A user who owns one new client account.</summary>
    public async Task<(User User, Client Client)> CreateOwnerAsync(string company = "Acme Ltd")
    {
        var user = await CreateUserAsync();
        var client = await CreateClientAsync(user.Id, company);
        return (user, client);
    }

    public async Task<Browser> LoginAsync(string email, string password = Password)
    {
        var browser = NewBrowser();
        var response = await browser.SubmitAsync("/login", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    public async Task<Browser> CreateAdminBrowserAsync()
    {
        var email = UniqueEmail("admin");
        await SendAsync(new Portal.Features.Setup.CreateAdmin.Command { Email = email, FirstName = "Ada", LastName = "Admin", Password = Password });
        var browser = NewBrowser();
        var response = await browser.SubmitAsync("/admin/login", new() { ["Input.Email"] = email, ["Input.Password"] = Password });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }
}
