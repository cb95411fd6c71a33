using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Data.Support;
using Portal.Features.Identity;
using Portal.Features.Billing;
using Portal.Features.Membership;
using Portal.Features.Shared;
using Portal.Features.Support;
using Portal.Features.Clients;

namespace Portal.Benchmarks;

/// <summary>
/// Writes a deterministic data set: the schema from the app's own migrations, then every row with prepared SQLite
/// commands in large transactions. The same scale gives the same rows (ids, names, links, dates); only the password
/// hash's salt differs, as Identity makes it.
/// </summary>
public static class Seeder
{
    private const int BatchSize = 50_000;
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly string[] FirstNames = ["Ada", "Ben", "Chloé", "Dev", "Ela", "Finn", "Grace", "Hugo", "Iris", "Jon", "Kai", "Lena", "Mia", "Noah", "Olu", "Pia"];
    private static readonly string[] LastNames = ["Archer", "Brook", "Castillo", "Dunn", "Evans", "Fischer", "García", "Hale", "Ito", "Jensen", "Khan", "Lopez", "Meyer", "Novak", "Okafor", "Park"];
    private static readonly string[] Companies = ["Harbour", "Bakery", "Design", "Logistics", "Studio", "Dental", "Garden", "Legal", "Motors", "Print"];

    /// <summary>In one entry in twenty of the log, and one in a thousand of the busy account's.</summary>
    public const string NewDevicePhrase = "Sign-in from a new device";

    private static readonly string[] Events = ["Signed in", "Signed out", "Invited {0}", "Permissions changed for {0}", "Profile updated", "Switched to account #{1}", "Invitation accepted by {0}", "Removed {0}"];

    /// <summary>The seeded file for <paramref name="scale"/> and the copy whose activity log is cut to <see cref="Scale.SmallActivity"/> rows.</summary>
    public static async Task SeedAsync(Scale scale, string path, TextWriter log)
    {
        scale.Validate();
        var watch = Stopwatch.StartNew();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        DeleteDatabase(path);

        var options = new DbContextOptionsBuilder<PortalDbContext>().UseSqlite($"Data Source={path}").Options;
        await using (var db = new PortalDbContext(options))
        {
            await db.Database.MigrateAsync();
        }

        SqliteConnection.ClearAllPools();
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF;");
            Seed(connection, scale, log);
            Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        }

        log.WriteLine($"Seeded {path} in {watch.Elapsed.TotalSeconds:F0} s.");
        watch.Restart();
        var small = SmallPath(path);
        DeleteDatabase(small);
        File.Copy(path, small);
        await using (var connection = new SqliteConnection($"Data Source={small};Pooling=False"))
        {
            connection.Open();
            // The deletions leave the full-text index holding a million entries' worth of tombstones, which a log that only
            // ever had 10,000 entries would not have: the index is rebuilt from the rows left.
            Execute(connection, $"PRAGMA journal_mode=WAL; DELETE FROM ActivityLog WHERE Id > {scale.SmallActivity}; "
                + $"INSERT INTO {FullTextIndexes.Activity}({FullTextIndexes.Activity}) VALUES ('rebuild'); PRAGMA wal_checkpoint(TRUNCATE);");
        }

        log.WriteLine($"Copied it with {scale.SmallActivity:N0} activity entries to {small} in {watch.Elapsed.TotalSeconds:F0} s.");
        await File.WriteAllTextAsync(ManifestPath(path), Manifest(scale));
    }

    public static string SmallPath(string path) => Path.ChangeExtension(path, null) + "-activity-small.db";

    public static string ManifestPath(string path) => path + ".scale";

    /// <summary>True when <paramref name="path"/> holds a complete data set of <paramref name="scale"/>.</summary>
    public static bool IsSeeded(Scale scale, string path) =>
        File.Exists(path) && File.Exists(SmallPath(path)) && File.Exists(ManifestPath(path)) && File.ReadAllText(ManifestPath(path)) == Manifest(scale);

    /// <summary>The scale and the version of the data set: a file seeded by an older seeder is seeded again.</summary>
    internal static string Manifest(Scale scale) => scale.Name + " v4";

    private static void DeleteDatabase(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm", ManifestPath(path) })
        {
            File.Delete(file);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Ticks(DateTimeOffset at) => at.UtcTicks;

    private static void Seed(SqliteConnection connection, Scale scale, TextWriter log)
    {
        using var batch = new Batch(connection);
        Rows(batch, scale, log);
    }

    /// <summary>
    /// Every row of the data set, table by table, into <paramref name="tables"/>: SQLite's prepared inserts or PostgreSQL's
    /// binary COPY (<see cref="PostgresSeeder"/>). Values are as SQLite stores them (dates as UTC ticks, flags as 0 or 1);
    /// a sink converts them to its columns' types.
    /// </summary>
    internal static void Rows(ITableSink tables, Scale scale, TextWriter log)
    {
        var random = new Random(14);
        var userHash = new PasswordHasher<User>(Options.Create(new PasswordHasherOptions { IterationCount = AuthSetup.PasswordHashIterations }))
            .HashPassword(new User(), Scale.Password);
        var adminHash = new PasswordHasher<Administrator>(Options.Create(new PasswordHasherOptions { IterationCount = AuthSetup.PasswordHashIterations }))
            .HashPassword(null!, Scale.Password);

        using (var admins = tables.Into("Admins", "Id", "Email", "NormalizedEmail", "FirstName", "LastName", "PasswordHash", "AccessFailedCount", "CreatedAt"))
        {
            admins.Row(1, Scale.AdminEmail, EmailAddress.Normalize(Scale.AdminEmail), "Ada", "Admin", adminHash, 0, Ticks(Epoch));
        }

        // The driver signs the admin in with the password alone: the admin pages are measured, not the enrolment that
        // "Require two-factor authentication for admins" (on for a new install) would send it to first.
        using (var settings = tables.Into("Settings", "Key", "Value"))
        {
            settings.Row(Portal.Features.Settings.SystemSettings.AdminTwoFactorKey, "false");
        }

        var watch = Stopwatch.StartNew();
        using (var users = tables.Into("AspNetUsers", "Id", "AccessFailedCount", "ConcurrencyStamp", "CreatedAt", "Email", "EmailConfirmed", "FirstName",
                   "LastLoginAt", "LastName", "LockoutEnabled", "NormalizedEmail", "NormalizedUserName", "PasswordHash", "PhoneNumberConfirmed", "SecurityStamp",
                   "TwoFactorEnabled", "UserName"))
        {
            for (var id = 1; id <= scale.Users; id++)
            {
                var email = Scale.EmailOf(id);
                var normalized = EmailAddress.Normalize(email);
                users.Row(id, 0, Guid(random), Ticks(Epoch.AddMinutes(id)), email, 1, FirstNames[id % FirstNames.Length], Ticks(Epoch.AddDays(200).AddMinutes(id)),
                    LastNames[(id / FirstNames.Length) % LastNames.Length], 1, normalized, normalized, userHash, 0, Guid(random).ToUpperInvariant(), 0, email);
            }
        }

        log.WriteLine($"  {scale.Users:N0} users ({watch.Elapsed.TotalSeconds:F1} s)");
        watch.Restart();
        using (var clients = tables.Into("Clients", "Id", "FirstName", "LastName", "CompanyName", "Email", "Address1", "City", "State", "Postcode",
                   "Country", "Phone", "Status", "CreatedAt", "OwnerUserId"))
        {
            for (var id = 1; id <= scale.Clients; id++)
            {
                // Client n is owned by user n, with the owner's name and e-mail, as an account opened by registration is.
                var company = $"{Companies[id % Companies.Length]} {LastNames[(id / 7) % LastNames.Length]} {id}";
                clients.Row(id, FirstNames[id % FirstNames.Length], LastNames[(id / FirstNames.Length) % LastNames.Length], company, Scale.EmailOf(id),
                    $"{id} High Street", "Springfield", "", $"{10000 + id % 90000}", "Country", "+1 555 0100", nameof(ClientStatus.Active), Ticks(Epoch.AddMinutes(id)), id);
            }
        }

        log.WriteLine($"  {scale.Clients:N0} clients ({watch.Elapsed.TotalSeconds:F1} s)");
        watch.Restart();
        var associations = 0;
        using (var clientUsers = tables.Into("ClientUsers", "ClientId", "UserId", "LastLoginAt", "Version", "Permissions"))
        {
            var seen = new HashSet<long>();
            void Associate(int clientId, int userId, string permissions)
            {
                if (seen.Add(((long)clientId << 32) | (uint)userId))
                {
                    clientUsers.Row(clientId, userId, Ticks(Epoch.AddDays(100)), 0, permissions);
                    associations++;
                }
            }

            var every = PermissionSet.Every.Stored;
            string Some(int n) => PermissionSet.Of(Enum.GetValues<Permission>().Where((_, i) => ((n >> (i % 8)) & 1) == 1)).Stored;
            for (var id = 1; id <= scale.Clients; id++)
            {
                Associate(id, id, every);
            }

            // The account with 50 users: its owner and 49 members, each with their own permissions.
            for (var i = 1; i < scale.BigAccountUsers; i++)
            {
                Associate(Scale.BusyClientId, scale.Clients + i, Some(i));
            }

            // The user with 500 accounts: a member of clients 2..501.
            for (var i = 0; i < scale.MultiUserAccounts; i++)
            {
                Associate(2 + i, scale.MultiUserId, Some(i));
            }

            // The rest, spread over the users who own no account and the accounts other than the two special ones.
            var firstMember = scale.Clients + 1;
            var members = scale.Users - 1 - firstMember;
            var otherClients = scale.Clients - 2;
            for (long k = 0; associations < scale.Associations; k++)
            {
                var userId = firstMember + (int)(k % members);
                var round = k / members;
                var clientId = 2 + (int)((userId * 2_654_435_761L + round * 104_729L) % otherClients);
                Associate(clientId, userId, Some((int)k));
            }
        }

        log.WriteLine($"  {associations:N0} associations ({watch.Elapsed.TotalSeconds:F1} s)");
        watch.Restart();
        using (var activity = tables.Into("ActivityLog", "Id", "At", "Description", "ClientId", "UserId", "AdminId", "IpAddress"))
        {
            for (var i = 0; i < scale.Activity; i++)
            {
                int clientId, userId;
                int? adminId = null;
                if (i % 10 == 0)
                {
                    // One entry in ten is the busy account's, by its owner or one of its members.
                    clientId = Scale.BusyClientId;
                    userId = i % 30 == 0 ? Scale.BusyOwnerId : scale.Clients + 1 + (i / 10) % (scale.BigAccountUsers - 1);
                }
                else
                {
                    clientId = 2 + (int)(i * 7919L % (scale.Clients - 1));
                    userId = clientId;
                    if (i % 50 == 1)
                    {
                        adminId = 1;
                    }
                }

                // Shifted every ten entries, so the busy account (every tenth) has every kind of event too.
                var text = string.Format(CultureInfo.InvariantCulture, Events[(i + i / 10) % Events.Length], Scale.EmailOf(userId), clientId);

                // A phrase common in the whole log but rare in the busy account (the search that a trigram index over the whole
                // log may serve badly): one entry in twenty of the other accounts', one in a thousand of the busy account's.
                if (i % 10 == 0 ? i % 10_000 == 0 : i % 20 == 7)
                {
                    text = $"{NewDevicePhrase} for {Scale.EmailOf(userId)}";
                }

                activity.Row(i + 1, Ticks(Epoch.AddSeconds(i * 20L)), adminId is null ? text : "Provider staff: " + text, clientId,
                    adminId is null ? userId : null, adminId, $"203.0.113.{i % 250 + 1}");
            }
        }

        log.WriteLine($"  {scale.Activity:N0} activity entries ({watch.Elapsed.TotalSeconds:F1} s)");
        watch.Restart();
        SeedBilling(tables, scale);
        log.WriteLine($"  {scale.Orders:N0} orders with their invoices, payments and services ({watch.Elapsed.TotalSeconds:F1} s)");
        watch.Restart();
        SeedSupport(tables, scale);
        log.WriteLine($"  {scale.Tickets:N0} tickets with {scale.Tickets * 2:N0} replies ({watch.Elapsed.TotalSeconds:F1} s)");
    }

    /// <summary>Ten products; every order has one item, one invoice (seven in ten paid, with a payment) and one service.</summary>
    private static void SeedBilling(ITableSink tables, Scale scale)
    {
        var cycles = new[] { BillingCycle.Monthly, BillingCycle.Quarterly, BillingCycle.Annually, BillingCycle.OneTime };
        using (var products = tables.Into("Products", "Id", "Name", "Description", "Price", "SetupFee", "Cycle", "IsHidden", "CreatedAt"))
        {
            for (var id = 1; id <= 10; id++)
            {
                products.Row(id, $"Plan {id}", $"Hosting plan {id}", id * 1000L, id % 3 == 0 ? 500L : 0L, cycles[id % cycles.Length].ToString(), 0, Ticks(Epoch));
            }
        }

        using var orders = tables.Into("Orders", "Id", "ClientId", "UserId", "PlacedAt", "Status", "RequiresVerification", "IdempotencyKey", "StatusChangedAt");
        using var items = tables.Into("OrderItem", "Id", "OrderId", "ProductId", "Name", "Quantity", "UnitPrice", "SetupFee", "Cycle");
        using var invoices = tables.Into("Invoices", "Id", "Number", "ClientId", "OrderId", "IssuedAt", "DueAt", "Status", "Total", "AmountPaid", "PaidAt");
        using var lines = tables.Into("InvoiceLine", "Id", "InvoiceId", "Description", "Quantity", "UnitPrice", "Amount");
        using var payments = tables.Into("Payments", "InvoiceId", "Amount", "Date", "Method", "Reference", "RecordedByAdminId", "RecordedAt");
        using var services = tables.Into("Services", "Id", "ClientId", "OrderId", "ProductId", "Name", "Status", "Cycle", "Amount", "CreatedAt", "ActivatedAt", "NextDueAt");
        for (var id = 1; id <= scale.Orders; id++)
        {
            var clientId = id <= scale.BusyAccountOrders ? Scale.BusyClientId : 2 + id % (scale.Clients - 1);
            var productId = 1 + id % 10;
            var price = productId * 1000L;
            var placed = Epoch.AddHours(id);
            var cycle = cycles[productId % cycles.Length].ToString();
            var paid = id % 10 < 7;
            orders.Row(id, clientId, clientId, Ticks(placed), nameof(OrderStatus.Accepted), 0, $"bench-{id}", Ticks(placed));
            items.Row(id, id, productId, $"Plan {productId}", 1, price, 0L, cycle);
            invoices.Row(id, id, clientId, id, Ticks(placed), Ticks(placed.AddDays(14)), paid ? nameof(InvoiceStatus.Paid) : nameof(InvoiceStatus.Unpaid), price,
                paid ? price : 0L, paid ? Ticks(placed.AddDays(2)) : null);
            lines.Row(id, id, $"Plan {productId}", 1, price, price);
            if (paid)
            {
                payments.Row(id, price, Ticks(placed.AddDays(2)), "Bank transfer", $"TRX-{id}", 1, Ticks(placed.AddDays(2)));
            }

            services.Row(id, clientId, id, productId, $"Plan {productId}", paid ? nameof(ServiceStatus.Active) : nameof(ServiceStatus.Pending), cycle, price,
                Ticks(placed), paid ? Ticks(placed.AddDays(2)) : null, paid ? Ticks(placed.AddMonths(1)) : null);
        }
    }

    /// <summary>Three departments; every ticket has the requester's message and an answer from support.</summary>
    private static void SeedSupport(ITableSink tables, Scale scale)
    {
        using (var departments = tables.Into("Departments", "Id", "Name", "Email", "IsHidden"))
        {
            departments.Row(1, "Support", "support@bench.example", 0);
            departments.Row(2, "Billing", "billing@bench.example", 0);
            departments.Row(3, "Abuse", "abuse@bench.example", 1);
        }

        var statuses = new[] { TicketStatus.Open, TicketStatus.Answered, TicketStatus.CustomerReply, TicketStatus.OnHold, TicketStatus.Closed };
        var priorities = new[] { TicketPriority.Low, TicketPriority.Medium, TicketPriority.High };
        using var tickets = tables.Into("Tickets", "Id", "Reference", "ClientId", "DepartmentId", "Subject", "Status", "Priority", "RequesterEmail",
            "RequesterName", "RequesterUserId", "CreatedAt", "LastReplyAt");
        using var replies = tables.Into("TicketReplies", "TicketId", "SenderEmail", "NormalizedSenderEmail", "SenderName", "UserId", "AdminId",
            "IsInternalNote", "Message", "At");
        for (var id = 1; id <= scale.Tickets; id++)
        {
            var clientId = id <= scale.BusyAccountTickets ? Scale.BusyClientId : 2 + id * 13 % (scale.Clients - 1);
            var email = Scale.EmailOf(clientId);
            var created = Epoch.AddHours(id * 2);
            tickets.Row(id, Reference(id), clientId, 1 + id % 2, $"Question {id} about my plan", statuses[id % statuses.Length].ToString(),
                priorities[id % priorities.Length].ToString(), email, $"{FirstNames[clientId % FirstNames.Length]} {LastNames[(clientId / FirstNames.Length) % LastNames.Length]}",
                clientId, Ticks(created), Ticks(created.AddHours(1)));
            replies.Row(id, email, EmailAddress.Normalize(email), "Client", clientId, null, 0, $"Hello,\nticket {id}: the site is slow since this morning.", Ticks(created));
            replies.Row(id, "support@bench.example", EmailAddress.Normalize("support@bench.example"), "Ada Admin", null, 1, 0, "Thank you, we are looking into it.",
                Ticks(created.AddHours(1)));
        }
    }

    /// <summary>A unique six-character reference in the tickets' alphabet, from the ticket id.</summary>
    private static string Reference(int id)
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = new char[6];
        var n = (long)id * 7_777_777 % (1L << 30);
        for (var i = 0; i < 6; i++)
        {
            chars[i] = alphabet[(int)(n % 32)];
            n /= 32;
        }

        return new string(chars);
    }

    private static string Guid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new System.Guid(bytes).ToString();
    }

    /// <summary>The write transaction all inserters share, committed every <see cref="BatchSize"/> rows.</summary>
    private sealed class Batch : ITableSink, IDisposable
    {
        private readonly List<SqliteCommand> _commands = [];
        private int _rows;

        public Batch(SqliteConnection connection)
        {
            Connection = connection;
            Transaction = connection.BeginTransaction();
        }

        public SqliteConnection Connection { get; }

        public IRowSink Into(string table, params string[] columns) => new Inserter(this, table, columns);

        public SqliteTransaction Transaction { get; private set; }

        public void Enlist(SqliteCommand command)
        {
            command.Transaction = Transaction;
            _commands.Add(command);
        }

        public void Counted()
        {
            if (++_rows % BatchSize != 0)
            {
                return;
            }

            Transaction.Commit();
            Transaction.Dispose();
            Transaction = Connection.BeginTransaction();
            foreach (var command in _commands)
            {
                command.Transaction = Transaction;
            }
        }

        public void Dispose()
        {
            Transaction.Commit();
            Transaction.Dispose();
        }
    }

    /// <summary>One prepared INSERT, run row by row inside the shared batch transaction.</summary>
    private sealed class Inserter : IRowSink
    {
        private readonly Batch _batch;
        private readonly SqliteCommand _command;
        private readonly SqliteParameter[] _parameters;

        public Inserter(Batch batch, string table, params string[] columns)
        {
            _batch = batch;
            _command = batch.Connection.CreateCommand();
            batch.Enlist(_command);
            _command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
            _parameters = columns.Select((_, i) => _command.Parameters.Add(new SqliteParameter($"$p{i}", null))).ToArray();
            _command.Prepare();
        }

        public void Row(params object?[] values)
        {
            for (var i = 0; i < _parameters.Length; i++)
            {
                _parameters[i].Value = values[i] ?? DBNull.Value;
            }

            _command.ExecuteNonQuery();
            _batch.Counted();
        }

        public void Dispose() => _command.Dispose();
    }
}

/// <summary>Where the seeder writes a table's rows: one sink per table, disposed when the table is written.</summary>
internal interface IRowSink : IDisposable
{
    void Row(params object?[] values);
}

/// <summary>A database the seeder writes into, a table at a time (billing writes six tables side by side).</summary>
internal interface ITableSink
{
    IRowSink Into(string table, params string[] columns);
}
