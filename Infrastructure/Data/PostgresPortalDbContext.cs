using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Portal.Infrastructure.Data;

/// <summary>
/// <see cref="PortalDbContext"/> on PostgreSQL: the same model, a type of its own only so that EF Core keeps its
/// migrations and model snapshot (Migrations/Postgres) apart from SQLite's. The app registers it as PortalDbContext
/// when <c>Database:Provider</c> is <c>Postgres</c>; nothing else names it.
/// </summary>
public sealed class PostgresPortalDbContext(DbContextOptions<PostgresPortalDbContext> options) : PortalDbContext(options);

/// <summary>
/// What <c>dotnet ef migrations add … --context PostgresPortalDbContext</c> builds the model with: no server is needed to
/// add a migration, so the connection string only names the provider.
/// </summary>
public sealed class PostgresPortalDbContextDesignTimeFactory : IDesignTimeDbContextFactory<PostgresPortalDbContext>
{
    public PostgresPortalDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresPortalDbContext>();
        options.UsePortalNpgsql("Host=localhost;Database=portal");
        return new PostgresPortalDbContext(options.Options);
    }
}
