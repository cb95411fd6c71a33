using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Features.Settings;

namespace Portal.Features.Setup;

/// <summary>
/// While no admin exists, serving prints a one-time <c>/admin/setup?token=…</c> link to the console. The token is
/// stored only as a hash and dies when the first admin is created.
/// </summary>
public static class AdminSetupLink
{
    public const string TokenHashKey = "AdminSetupTokenHash";

    public static async Task AnnounceAdminSetupAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        if (await db.Admins.AnyAsync())
        {
            return;
        }

        var token = Tokens.New();
        await scope.ServiceProvider.GetRequiredService<SystemSettings>().SetAsync(TokenHashKey, Tokens.Hash(token));
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            // Another instance starting on the same empty database stored its link at the same moment: its link is the one.
            Console.WriteLine("No admin exists yet: another instance starting at the same time printed the one-time setup link.");
            return;
        }
        var link = scope.ServiceProvider.GetRequiredService<IOptions<PortalOptions>>().Value.Link($"/admin/setup?token={token}");
        Console.WriteLine();
        Console.WriteLine("No admin exists yet. Create the first one with this one-time link:");
        Console.WriteLine($"  {link}");
        Console.WriteLine("(or run: dotnet run -- create-admin --email you@example.com)");
        Console.WriteLine();
    }

    /// <summary>Whether the setup link still works: the setup page shows its form only then.</summary>
    public sealed record Check(string? Token) : Mediator.IQuery<bool>;

    internal sealed class CheckHandler(PortalDbContext db) : Mediator.IQueryHandler<Check, bool>
    {
        public async ValueTask<bool> Handle(Check query, CancellationToken cancellationToken) => await IsValidAsync(db, query.Token, cancellationToken);
    }

    public static async Task<bool> IsValidAsync(PortalDbContext db, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || await db.Admins.AnyAsync(cancellationToken))
        {
            return false;
        }

        var stored = await db.Settings.AsNoTracking().SingleOrDefaultAsync(s => s.Key == TokenHashKey, cancellationToken);
        return stored is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(stored.Value), System.Text.Encoding.ASCII.GetBytes(Tokens.Hash(token)));
    }
}
