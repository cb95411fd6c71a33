using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class SearchAndKeysetIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ActivityLog_AdminId",
                table: "ActivityLog");

            migrationBuilder.DropIndex(
                name: "IX_ActivityLog_At",
                table: "ActivityLog");

            migrationBuilder.DropIndex(
                name: "IX_ActivityLog_ClientId",
                table: "ActivityLog");

            migrationBuilder.DropIndex(
                name: "IX_ActivityLog_UserId",
                table: "ActivityLog");

            migrationBuilder.CreateIndex(
                name: "IX_ActivityLog_AdminId_At_Id",
                table: "ActivityLog",
                columns: new[] { "AdminId", "At", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ActivityLog_At_Id",
                table: "ActivityLog",
                columns: new[] { "At", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ActivityLog_ClientId_At_Id",
                table: "ActivityLog",
                columns: new[] { "ClientId", "At", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ActivityLog_UserId_At_Id",
                table: "ActivityLog",
                columns: new[] { "UserId", "At", "Id" });

            if (migrationBuilder.IsSqlite())
            {
                foreach (var statement in FullTextIndexes.Create())
                {
                    migrationBuilder.Sql(statement);
                }
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            if (migrationBuilder.IsSqlite())
            {
                foreach (var statement in FullTextIndexes.Drop())
                {
                    migrationBuilder.Sql(statement);
                }
            }

            migrationBuilder.DropIndex(
                name: "IX_ActivityLog_AdminId_At_Id",
                table: "ActivityLog");

            migrationBuilder.DropIndex(
                name: "IX_ActivityLog_At_Id",
                table: "ActivityLog");

            migrationBuilder.DropIndex(
                name: "IX_ActivityLog_ClientId_At_Id",
                table: "ActivityLog");

            migrationBuilder.DropIndex(
                name: "IX_ActivityLog_UserId_At_Id",
                table: "ActivityLog");

            migrationBuilder.CreateIndex(
                name: "IX_ActivityLog_AdminId",
                table: "ActivityLog",
                column: "AdminId");

            migrationBuilder.CreateIndex(
                name: "IX_ActivityLog_At",
                table: "ActivityLog",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_ActivityLog_ClientId",
                table: "ActivityLog",
                column: "ClientId");

            migrationBuilder.CreateIndex(
                name: "IX_ActivityLog_UserId",
                table: "ActivityLog",
                column: "UserId");
        }
    }
}
