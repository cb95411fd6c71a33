using Hangfire;
using Hangfire.Logging;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Data;
using Portal.Features.Membership;
using Portal.Features.Clients;
using Portal.Features.Identity;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// One app per test collection (Collections.cs), with a database of its own. Tests never share rows:
/// each makes its own users and clients with unique e-mails.
/// </summary>
public class PortalFixture : IAsyncLifetime
{
    public PortalFixture()
        : this(new PortalFactory())
    {
    }

    protected PortalFixture(PortalFactory factory) => Factory = factory;

    public const string Password = "violet harbour engine sketch";

    private static int _counter;

    /// <summary>
    /// Hangfire's configuration is process-wide: each app that starts sets <see cref="JobStorage.Current"/> and Hangfire's
    /// log provider, and registers in its own services the <see cref="JobStorage"/> that is current when it resolves it
    /// (during start-up). Apps start one at a time, so that each gets its own storage; tests read the jobs of their app
    /// through <see cref="Jobs"/>, never through <see cref="JobStorage.Current"/>.
    /// </summary>
    private static readonly SemaphoreSlim StartOneAtATime = new(1, 1);

    public PortalFactory Factory { get; }

    /// <summary>This app's job storage: its own in-memory storage on SQLite, its own database's tables on PostgreSQL.</summary>
    public JobStorage Jobs => Factory.Services.GetRequiredService<JobStorage>();

    public async Task InitializeAsync()
    {
        await StartOneAtATime.WaitAsync();
        try
        {
            _ = Factory.Server;

            // A new install asks every admin for a second factor; the test apps' admins sign in with the password alone,
            // as the test apps hash with fewer iterations. AdminTwoFactorTests turn it on where they test it.
            await WithDbAsync(async db =>
            {
                await new Portal.Features.Settings.SystemSettings(db).SetAsync(Portal.Features.Settings.SystemSettings.AdminTwoFactorKey, "false");
                await db.SaveChangesAsync();
            });
            if (!ReferenceEquals(Jobs, JobStorage.Current))
            {
                throw new InvalidOperationException("The app's job storage is not the one it configured: another app started at the same time.");
            }

            // Hangfire logs through the last app that started, whose logger factory is disposed when its collection
            // ends while other apps still run: its log lines belong to no app in particular, so they go nowhere.
            LogProvider.SetCurrentLogProvider(SilentHangfireLog.Instance);
        }
        finally
        {
            StartOneAtATime.Release();
        }
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }

    private sealed class SilentHangfireLog : ILogProvider, ILog
    {
        public static readonly SilentHangfireLog Instance = new();

        public ILog GetLogger(string name) => this;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }

    public static string UniqueEmail(string name = "user") => $"{name}{Interlocked.Increment(ref _counter)}-{Guid.NewGuid().ToString("N")[..6]}@example.test";

    public Browser NewBrowser()
    {
        var cookies = new System.Net.CookieContainer();
        var client = Factory.CreateDefaultClient(new Uri(PortalFactory.BaseUrl), new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(cookies));
        var ip = $"127.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}";
        client.DefaultRequestHeaders.Add(PortalFactory.TestIpHeader, ip);

        // A browser waits for a slow answer (Chromium gives up after five minutes), HttpClient's default after 100 s: on a
        // machine kept busy by a CPU burner, fifty registrations queued behind their password hashes take longer than that
        // and the test, not the portal, gave up. What a user would see is the portal's own answer, busy or done.
        client.Timeout = TimeSpan.FromMinutes(5);
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

    /// <summary>Marks the user's login address verified, as following the verification link does.</summary>
    public Task VerifyEmailAsync(int userId) =>
        WithDbAsync(db => db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailConfirmed, true)));

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

/// <summary>
/// The app of the tests of many writers at once (<see cref="ConcurrencyCollection"/>): it hashes passwords as production
/// does, so that a burst of registrations costs what it costs in production, and a write that waited for a hash would show.
/// </summary>
public sealed class ProductionHashingPortalFixture() : PortalFixture(new PortalFactory { ProductionPasswordHashing = true });
