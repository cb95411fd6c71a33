using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class EmailKinds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_EmailMessages_ClientId",
                table: "EmailMessages");

            migrationBuilder.AddColumn<string>(
                name: "AutoSubmitted",
                table: "EmailMessages",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "HoldsSecretLink",
                table: "EmailMessages",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "EmailMessages",
                type: "TEXT",
                maxLength: 60,
                nullable: false,
                defaultValue: "");

            // Mail queued before kinds existed may hold invitation, reset or verification links: the history shows
            // none of their links rather than guess which were secrets.
            migrationBuilder.Sql("UPDATE \"EmailMessages\" SET \"HoldsSecretLink\" = 1;");

            migrationBuilder.CreateIndex(
                name: "IX_EmailMessages_ClientId_Id",
                table: "EmailMessages",
                columns: new[] { "ClientId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_EmailMessages_ClientId_Id",
                table: "EmailMessages");

            migrationBuilder.DropColumn(
                name: "AutoSubmitted",
                table: "EmailMessages");

            migrationBuilder.DropColumn(
                name: "HoldsSecretLink",
                table: "EmailMessages");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "EmailMessages");

            migrationBuilder.CreateIndex(
                name: "IX_EmailMessages_ClientId",
                table: "EmailMessages",
                column: "ClientId");
        }
    }
}
