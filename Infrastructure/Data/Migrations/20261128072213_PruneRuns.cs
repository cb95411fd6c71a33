using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class PruneRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PruneRuns",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Months = table.Column<int>(type: "INTEGER", nullable: false),
                    DeleteUsers = table.Column<bool>(type: "INTEGER", nullable: false),
                    ClientsDeleted = table.Column<int>(type: "INTEGER", nullable: false),
                    UsersDeleted = table.Column<int>(type: "INTEGER", nullable: false),
                    ClientsSkipped = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PruneRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PruneRunSkips",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PruneRunId = table.Column<int>(type: "INTEGER", nullable: false),
                    ClientId = table.Column<int>(type: "INTEGER", nullable: false),
                    ClientName = table.Column<string>(type: "TEXT", maxLength: 354, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PruneRunSkips", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PruneRunSkips_PruneRuns_PruneRunId",
                        column: x => x.PruneRunId,
                        principalTable: "PruneRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PruneRunSkips_PruneRunId",
                table: "PruneRunSkips",
                column: "PruneRunId");

            migrationBuilder.CreateIndex(
                name: "IX_PruneRuns_StartedAt",
                table: "PruneRuns",
                column: "StartedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PruneRunSkips");

            migrationBuilder.DropTable(
                name: "PruneRuns");
        }
    }
}
