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
/// What <c>dotnet ef migrations add</c> builds each model with: no server is needed to add a migration, so the
/// connection strings only name the provider. One class answers for both contexts on purpose: EF Core looks a context's
/// factory up by <c>IDesignTimeDbContextFactory&lt;T&gt;</c>, which is covariant, so a factory of PostgresPortalDbContext
/// alone also answered for PortalDbContext, and <c>--context PortalDbContext</c> wrote PostgreSQL's migration.
/// </summary>
public sealed class DesignTimeContexts : IDesignTimeDbContextFactory<PortalDbContext>, IDesignTimeDbContextFactory<PostgresPortalDbContext>
{
    PortalDbContext IDesignTimeDbContextFactory<PortalDbContext>.CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        options.UseSqlite("Data Source=portal.db");
        return new PortalDbContext(options.Options);
    }

    PostgresPortalDbContext IDesignTimeDbContextFactory<PostgresPortalDbContext>.CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresPortalDbContext>();
        options.UsePortalNpgsql("Host=localhost;Database=portal");
        return new PostgresPortalDbContext(options.Options);
    }
}
