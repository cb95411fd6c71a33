using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Features.Membership;
using Portal.Infrastructure.Data;
using Portal.Tests.Features.Identity;
using Portal.Tests.Features.Membership;

namespace Portal.Tests.Infrastructure.Farm;

/// <summary>Runs only when the suite runs on PostgreSQL: a farm needs the shared database.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!TestDatabase.IsPostgres)
        {
            Skip = "Several instances share a PostgreSQL database; this run is on SQLite.";
        }
    }
}

/// <summary>
/// Two real instances of Portal on two loopback ports against one PostgreSQL database, started together on an empty
/// database, both running a job server and encrypting their keys with one certificate: what a visitor does on one
/// holds on the other, as behind a load balancer without sticky sessions.
/// </summary>
public sealed class FarmFixture : IAsyncLifetime
{
    public const string CertificatePassword = "farm certificate";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "portal-farm-" + Guid.NewGuid().ToString("N")[..12]);
    private TestDatabase? _database;

    public PortalProcess A { get; private set; } = null!;

    public PortalProcess B { get; private set; } = null!;

    public string ConnectionString => _database!.ConnectionString;

    public async Task InitializeAsync()
    {
        if (!TestDatabase.IsPostgres)
        {
            return;
        }

        Directory.CreateDirectory(_folder);
        _database = TestDatabase.Create(_folder);
        var certificate = Path.Combine(_folder, "keys.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=portal-keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(certificate, created.Export(X509ContentType.Pfx, CertificatePassword));
        }

        Dictionary<string, string> Settings(string name) => new()
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Portal"] = ConnectionString,
            ["Portal:KeyCertificatePath"] = certificate,
            ["Portal:KeyCertificatePassword"] = CertificatePassword,
            ["Jobs:RunServer"] = "true",
            ["Mail:PickupDirectory"] = Path.Combine(_folder, "mail-" + name),
            ["Mail:Smtp:Host"] = "",
            ["Portal:BaseUrl"] = "http://portal.farm.test",
            ["AllowedHosts"] = "127.0.0.1",
            ["RateLimits:AuthPerMinute"] = "1000",
            ["RateLimits:TokensPerMinute"] = "1000",
            ["RateLimits:InvitationsPerHour"] = "1000",
            ["Logging:LogLevel:Default"] = "Warning",
        };

        // Both start at once on the empty database: one migrates and creates the first key, the other waits its turn.
        A = PortalProcess.Start(Settings("a"));
        B = PortalProcess.Start(Settings("b"));
        await Task.WhenAll(A.WaitUntilHealthyAsync(), B.WaitUntilHealthyAsync());
    }

    public async Task DisposeAsync()
    {
        if (!TestDatabase.IsPostgres)
        {
            return;
        }

        await A.DisposeAsync();
        await B.DisposeAsync();
        _database?.Dispose();
        try
        {
            Directory.Delete(_folder, true);
        }
        catch (IOException)
        {
        }
    }

    public PortalDbContext NewDbContext()
    {
        var options = new DbContextOptionsBuilder<PostgresPortalDbContext>();
        options.UsePortalNpgsql(ConnectionString);
        return new PostgresPortalDbContext(options.Options);
    }

    /// <summary>A visitor whose requests a load balancer sends to A or to B: one cookie jar, a client per instance.</summary>
    public Visitor NewVisitor()
    {
        var cookies = new CookieContainer();
        Browser On(PortalProcess instance) =>
            new(new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(instance.Url) }, cookies, "127.0.0.1");
        return new Visitor(On(A), On(B));
    }

    public sealed record Visitor(Browser OnA, Browser OnB) : IDisposable
    {
        public void Dispose()
        {
            OnA.Dispose();
            OnB.Dispose();
        }
    }
}

[Collection(FarmCollection.Name)]
public sealed partial class TwoInstanceTests(FarmFixture farm) : IClassFixture<FarmFixture>
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(90);

    [PostgresFact]
    public async Task Both_instances_started_together_share_one_key_encrypted_with_the_certificate()
    {
        await using var db = farm.NewDbContext();
        var key = Assert.Single(await db.DataProtectionKeys.ToListAsync());
        Assert.Contains("encryptedSecret", key.Xml);
        Assert.DoesNotContain("<masterKey", key.Xml);
    }

    [PostgresFact]
    public async Task Once_both_have_started_neither_holds_the_start_up_lock_so_a_third_instance_would_start_too()
    {
        await using var connection = new NpgsqlConnection(farm.ConnectionString);
        await connection.OpenAsync();
        await using var held = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            + " AND ((classid::bigint << 32) | objid::bigint) = @key", connection);
        held.Parameters.AddWithValue("key", DataSetup.StartupLock);
        Assert.Equal(0L, (long)(await held.ExecuteScalarAsync())!);
    }

    [PostgresFact]
    public async Task A_cookie_from_A_opens_the_dashboard_on_B_and_a_form_from_A_posts_on_B()
    {
        using var owner = await RegisterOnAAsync("Farm Cookies Ltd");

        var dashboard = await owner.OnB.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, dashboard.Status);
        Assert.Contains("Farm Cookies Ltd", dashboard.Text);

        var invited = PortalFixture.UniqueEmail("farm-invitee");
        var form = await owner.OnA.GetAsync("/account/users/invite");
        var posted = await owner.OnB.PostAsync("/account/users/invite",
        [
            new("Input.Email", invited),
            new("Input.AllPermissions", "true"),
            new("__RequestVerificationToken", form.Document.QuerySelector("main input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        await using var db = farm.NewDbContext();
        Assert.Equal(1, await db.Invitations.CountAsync(i => i.Email == invited));
    }

    [PostgresFact]
    public async Task An_invitation_accepted_on_A_cannot_be_accepted_on_B_and_removing_the_user_on_A_refuses_them_on_B()
    {
        using var owner = await RegisterOnAAsync("Farm Members Ltd");
        var invited = PortalFixture.UniqueEmail("farm-member");
        Assert.Equal(HttpStatusCode.Redirect, (await owner.OnA.InviteAsync(invited)).StatusCode);
        var link = await InvitationLinkAsync(invited);

        using var member = farm.NewVisitor();
        var accepted = await member.OnA.SubmitAsync(link, NewUser(invited), "form[data-form=register]");
        Assert.Equal("/dashboard", accepted.Headers.Location!.PathAndQuery());

        using var latecomer = farm.NewVisitor();
        var again = await latecomer.OnB.GetAsync(link);
        Assert.Null(again.Document.QuerySelector("form[data-form=register]"));
        var crafted = await latecomer.OnB.PostAsync(link + "?handler=Register",
            NewUser(PortalFixture.UniqueEmail("farm-latecomer")).Append(new("__RequestVerificationToken", await latecomer.OnB.AntiforgeryTokenAsync())));
        Assert.NotEqual("/dashboard", crafted.Headers.Location?.PathAndQuery());
        await using (var db = farm.NewDbContext())
        {
            var clientId = await db.Invitations.Where(i => i.Email == invited).Select(i => i.ClientId).SingleAsync();
            Assert.Equal(2, await db.ClientUsers.CountAsync(cu => cu.ClientId == clientId));
        }

        Assert.Contains("Farm Members Ltd", (await member.OnB.GetAsync("/dashboard")).Text);
        int memberId;
        await using (var db = farm.NewDbContext())
        {
            memberId = await db.Users.Where(u => u.Email == invited).Select(u => u.Id).SingleAsync();
        }

        var removed = await owner.OnA.SubmitAsync($"/account/users/{memberId}/remove", []);
        Assert.Equal("/account/users", removed.Headers.Location!.PathAndQuery());

        var refused = await member.OnB.Client.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/user/accounts", refused.Headers.Location!.PathAndQuery());
    }

    [PostgresFact]
    public async Task The_daily_jobs_coming_due_on_both_instances_at_once_run_once()
    {
        var options = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = false };
        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(farm.ConnectionString, options), options);
        var daily = new[] { ExpireInvitations.RecurringJobId };
        var before = await JobCountAsync();

        // The schedule comes due for both instances' schedulers at once, as at 03:00 every day: as if the jobs had last
        // run a day and an hour ago, so that a daily occurrence has passed since.
        var now = DateTime.UtcNow.AddSeconds(-1);
        using (var connection = storage.GetConnection())
        using (var transaction = connection.CreateWriteTransaction())
        {
            foreach (var id in daily)
            {
                Assert.Contains(connection.GetRecurringJobs(), j => j.Id == id);
                transaction.SetRangeInHash($"recurring-job:{id}",
                [
                    new("CreatedAt", JobHelper.SerializeDateTime(now.AddDays(-2))),
                    new("LastExecution", JobHelper.SerializeDateTime(now.AddHours(-25))),
                    new("NextExecution", JobHelper.SerializeDateTime(now)),
                ]);
                transaction.AddToSet("recurring-jobs", id, JobHelper.ToTimestamp(now));
            }

            transaction.Commit();
        }

        var deadline = DateTime.UtcNow + JobTimeout;
        while (!daily.All(id => IsRescheduled(storage, id, now)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The daily jobs were not scheduled again within {JobTimeout.TotalSeconds} s: "
                + string.Join("; ", daily.Select(id => string.Join(", ", storage.GetConnection().GetAllEntriesFromHash($"recurring-job:{id}") ?? [])))
                + $"\nA:\n{farm.A.Output}\nB:\n{farm.B.Output}");
            await Task.Delay(250);
        }

        Assert.Equal(before + daily.Length, await JobCountAsync());
    }

    /// <summary>
    /// Run and scheduled for its next occurrence after the one that came due: the next 03:00, which is less than an hour
    /// away when the test runs between 02:00 and 03:00.
    /// </summary>
    private static bool IsRescheduled(PostgreSqlStorage storage, string id, DateTime due)
    {
        using var connection = storage.GetConnection();
        var job = connection.GetRecurringJobs([id]).Single();
        return job.NextExecution > due.AddSeconds(1) && job.LastJobState == "Succeeded";
    }

    /// <summary>How many times Hangfire has created a job of the daily classes.</summary>
    private async Task<long> JobCountAsync()
    {
        await using var connection = new NpgsqlConnection(farm.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%ExpireInvitations+Job%'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<FarmFixture.Visitor> RegisterOnAAsync(string company)
    {
        var visitor = farm.NewVisitor();
        var response = await visitor.OnA.SubmitAsync("/register", RegisterTests.Form(PortalFixture.UniqueEmail("farm-owner"), company));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, (await Page.ReadAsync(response)).Text);
        return visitor;
    }

    private async Task<string> InvitationLinkAsync(string email)
    {
        await using var db = farm.NewDbContext();
        var body = await db.EmailMessages.Where(m => m.To == email).OrderByDescending(m => m.Id).Select(m => m.TextBody).FirstAsync();
        var match = InvitationLink().Match(body);
        Assert.True(match.Success, $"No invitation link in: {body}");
        return new Uri(match.Value).PathAndQuery;
    }

    private static Dictionary<string, string> NewUser(string email) => new()
    {
        ["Input.FirstName"] = "Nora",
        ["Input.LastName"] = "Newcomer",
        ["Input.Email"] = email,
        ["Input.Password"] = PortalFixture.Password,
    };

    [GeneratedRegex(@"http://portal\.farm\.test/invite/[A-Za-z0-9_\-]+")]
    private static partial Regex InvitationLink();
}
