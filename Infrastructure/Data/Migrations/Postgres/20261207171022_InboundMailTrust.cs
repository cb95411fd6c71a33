using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InboundMailTrust : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TicketReplies_MessageId",
                table: "TicketReplies");

            migrationBuilder.AlterColumn<string>(
                name: "Reference",
                table: "Tickets",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(6)",
                oldMaxLength: 6);

            migrationBuilder.AddColumn<string>(
                name: "Channel",
                table: "TicketReplies",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Web");

            migrationBuilder.AddColumn<bool>(
                name: "IsHeld",
                table: "TicketReplies",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "MessageKey",
                table: "TicketReplies",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "SenderVerified",
                table: "TicketReplies",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<long>(
                name: "ConfirmationSentAt",
                table: "Contacts",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConfirmationTokenHash",
                table: "Contacts",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ConfirmedAt",
                table: "Contacts",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_TicketReplies_MessageId",
                table: "TicketReplies",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_TicketReplies_MessageKey",
                table: "TicketReplies",
                column: "MessageKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TicketReplies_NormalizedSenderEmail_At",
                table: "TicketReplies",
                columns: new[] { "NormalizedSenderEmail", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_ConfirmationTokenHash",
                table: "Contacts",
                column: "ConfirmationTokenHash");


            // Replies from before: those that came by e-mail (they carry a Message-ID) were never authenticated, and
            // those of a guest's ticket written without a login came from the guest form or its link.
            migrationBuilder.Sql("UPDATE \"TicketReplies\" SET \"Channel\" = 'Email', \"SenderVerified\" = FALSE WHERE \"MessageId\" IS NOT NULL;");
            migrationBuilder.Sql("UPDATE \"TicketReplies\" SET \"Channel\" = 'GuestForm', \"SenderVerified\" = FALSE WHERE \"MessageId\" IS NULL AND \"UserId\" IS NULL AND \"AdminId\" IS NULL AND \"TicketId\" IN (SELECT \"Id\" FROM \"Tickets\" WHERE \"GuestTokenHash\" IS NOT NULL);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TicketReplies_MessageId",
                table: "TicketReplies");

            migrationBuilder.DropIndex(
                name: "IX_TicketReplies_MessageKey",
                table: "TicketReplies");

            migrationBuilder.DropIndex(
                name: "IX_TicketReplies_NormalizedSenderEmail_At",
                table: "TicketReplies");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_ConfirmationTokenHash",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "Channel",
                table: "TicketReplies");

            migrationBuilder.DropColumn(
                name: "IsHeld",
                table: "TicketReplies");

            migrationBuilder.DropColumn(
                name: "MessageKey",
                table: "TicketReplies");

            migrationBuilder.DropColumn(
                name: "SenderVerified",
                table: "TicketReplies");

            migrationBuilder.DropColumn(
                name: "ConfirmationSentAt",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "ConfirmationTokenHash",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "ConfirmedAt",
                table: "Contacts");

            migrationBuilder.AlterColumn<string>(
                name: "Reference",
                table: "Tickets",
                type: "character varying(6)",
                maxLength: 6,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(10)",
                oldMaxLength: 10);

            migrationBuilder.CreateIndex(
                name: "IX_TicketReplies_MessageId",
                table: "TicketReplies",
                column: "MessageId",
                unique: true);
        }
    }
}
