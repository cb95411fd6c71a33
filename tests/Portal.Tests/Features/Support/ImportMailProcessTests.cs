using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Data.Sqlite;
using Portal.Features.Support;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Features.Support;

/// <summary>
/// <c>import-mail</c> as a mail server runs it: the real executable, a message on standard input, nothing of the test
/// process (whose own code may have set up .NET's encodings) in between. It reads legacy charsets; when the database
/// cannot be reached it exits 75 with a message (the mail server keeps the message and tries again), never with an
/// unhandled exception.
/// </summary>
public sealed class ImportMailProcessTests
{
    [Fact]
    public async Task The_executable_reads_windows_1252_smart_quotes_and_the_euro_sign()
    {
        var folder = Directory.CreateTempSubdirectory("portal-import-").FullName;
        var database = Path.Combine(folder, "portal.db");
        var settings = new Dictionary<string, string> { ["Database__Provider"] = "Sqlite", ["ConnectionStrings__Portal"] = $"Data Source={database}" };
        try
        {
            // The first run creates the database; its message is addressed to no department and refused.
            Assert.Equal(ImportMailVerb.Refused, (await RunAsync(settings, "From: a@example.test\r\nTo: nobody@example.test\r\nSubject: Hello\r\n\r\nHi.\r\n")).Code);
            await using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO Departments (Name, Email, IsHidden) VALUES ('Support', 'support@process.example.test', 0)";
                await insert.ExecuteNonQueryAsync();
            }

            var (code, output, error) = await RunAsync(settings, Encoding.ASCII.GetString(MailCorpus.Load("windows-1252.eml", "renee@example.test", "support@process.example.test", "")));

            Assert.True(code == 0, output + error);
            await using var read = new SqliteConnection($"Data Source={database};Pooling=False");
            await read.OpenAsync();
            await using var query = read.CreateCommand();
            query.CommandText = "SELECT t.Subject, t.RequesterName, r.Message FROM Tickets t JOIN TicketReplies r ON r.TicketId = t.Id";
            await using var row = await query.ExecuteReaderAsync();
            Assert.True(await row.ReadAsync());
            Assert.Equal(("“Quoted” price € 5 – café", "Renée “Boss” Müller", "It costs €5 – isn’t that “cheap”? Naïve café …"), (row.GetString(0), row.GetString(1), row.GetString(2)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_unreachable_database_exits_75_with_a_message()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Portal"] = $"Host=127.0.0.1;Port={closedPort};Database=portal;Username=portal;Timeout=3",
        };

        var (code, output, error) = await RunAsync(settings, "From: a@example.test\r\nTo: support@example.test\r\nSubject: Hello\r\n\r\nHi.\r\n");

        Assert.Equal(ImportMailVerb.TryLater, code);
        Assert.StartsWith("import-mail: the portal could not start, try again later:", error);
        Assert.DoesNotContain("Unhandled exception", error + output);
    }

    private static Task<(int Code, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string> settings, string message) =>
        PortalExecutable.RunAsync(settings, message, "import-mail");
}
