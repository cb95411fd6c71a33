using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Infrastructure.Data.Migrations.Postgres
{
    /// <summary>The trigram indexes that serve searches on PostgreSQL (<see cref="PostgresSearchIndexes"/>).</summary>
    public partial class SearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var statement in PostgresSearchIndexes.Create())
            {
                migrationBuilder.Sql(statement);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var statement in PostgresSearchIndexes.Drop())
            {
                migrationBuilder.Sql(statement);
            }
        }
    }
}
