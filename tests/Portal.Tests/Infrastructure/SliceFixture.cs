using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Infrastructure.Data;
using Portal.Features.Membership;
using Portal.Features.Clients;
using Portal.Features.Identity;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// Slice tests without HTTP, after Contoso University's SliceFixture: commands and queries go through the app's own
/// mediator pipeline (validation included) in a fresh scope each, against the same real SQLite file and clock as the
/// page tests: the app of its test collection.
/// </summary>
public sealed class SliceFixture(PortalFixture portal)
{
    public FakeTimeProvider Time => portal.Factory.Time;

    public DateTimeOffset Now => Time.GetUtcNow();

    public async Task<TResponse> SendAsync<TResponse>(ICommand<TResponse> command) =>
        await ExecuteScopeAsync(async services => await services.GetRequiredService<ISender>().Send(command));

    public async Task SendAsync(ICommand command) =>
        await ExecuteScopeAsync(async services => await services.GetRequiredService<ISender>().Send(command));

    public async Task<TResponse> SendAsync<TResponse>(IQuery<TResponse> query) =>
        await ExecuteScopeAsync(async services => await services.GetRequiredService<ISender>().Send(query));

    public async Task<T> ExecuteScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public async Task ExecuteScopeAsync(Func<IServiceProvider, Task> action)
    {
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        await action(scope.ServiceProvider);
    }

    public Task<T> ExecuteDbContextAsync<T>(Func<PortalDbContext, Task<T>> action) =>
        ExecuteScopeAsync(services => action(services.GetRequiredService<PortalDbContext>()));

    public Task ExecuteDbContextAsync(Func<PortalDbContext, Task> action) =>
        ExecuteScopeAsync(services => action(services.GetRequiredService<PortalDbContext>()));

    public Task InsertAsync(params object[] entities) =>
        ExecuteDbContextAsync(async db =>
        {
            db.AddRange(entities);
            await db.SaveChangesAsync();
        });

    public Task<T?> FindAsync<T>(int id)
        where T : class =>
        ExecuteDbContextAsync(db => db.Set<T>().FindAsync(id).AsTask());

    /// <summary>A user with no password, written straight to the database: hashing one would cost more than the test.</summary>
    public async Task<User> CreateUserAsync(string? email = null)
    {
        email ??= PortalFixture.UniqueEmail();
        var user = new User
        {
            UserName = email,
            NormalizedUserName = email.ToUpperInvariant(),
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            SecurityStamp = Guid.NewGuid().ToString("N"),
            FirstName = "Test",
            LastName = "User",
            CreatedAt = Now,
        };
        await InsertAsync(user);
        return user;
    }

    /// <summary>A new user who owns a new account.</summary>
    public async Task<(User User, Client Client)> CreateOwnerAsync(string company = "Acme Ltd")
    {
        var owner = await CreateUserAsync();
        var client = Client.Open(new ClientProfile(owner.FirstName, owner.LastName, company, owner.Email!, "1 Road", "Town", "", "12345", "Country", "+1 555 0100"), owner, Now);
        await ExecuteDbContextAsync(async db =>
        {
            db.Users.Attach(owner);
            db.Clients.Add(client);
            await db.SaveChangesAsync();
        });
        return (owner, client);
    }

    public Task AssociateAsync(int clientId, int userId, params Permission[] permissions) => portal.AssociateAsync(clientId, userId, permissions);

    /// <summary>A pending invitation to <paramref name="email"/> written straight to the database; returns it with its link's token.</summary>
    public async Task<(Invitation Invitation, string Token)> InviteAsync(int clientId, string email, params Permission[] permissions)
    {
        var token = Portal.Infrastructure.Auth.Tokens.New();
        var invitation = Invitation.Create(
            clientId, email, PermissionSet.Of(permissions.Length == 0 ? [Permission.Tickets] : permissions), null, null, Portal.Infrastructure.Auth.Tokens.Hash(token), Now, TimeSpan.FromDays(7));
        await InsertAsync(invitation);
        return (invitation, token);
    }

    public Task<List<string>> ActivityForAsync(int clientId) =>
        ExecuteDbContextAsync(db => db.ActivityLog.Where(e => e.ClientId == clientId).OrderBy(e => e.Id).Select(e => e.Description).ToListAsync());
}
