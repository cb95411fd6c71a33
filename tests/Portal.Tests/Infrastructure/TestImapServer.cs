using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// A real IMAP server for a test: Debian's Dovecot (package dovecot-imapd, which scripts/test.sh installs), run in the
/// foreground with a throw-away configuration on a free loopback port, one passwd-file user and a Maildir in a
/// temporary folder. Disposing stops it and deletes the folder.
/// </summary>
public sealed class TestImapServer : IAsyncDisposable
{
    public const string DovecotPath = "/usr/sbin/dovecot";
    public const string User = "tickets";
    public const string Password = "imap test password";

    private readonly string folder;
    private readonly Process process;

    public int Port { get; }

    private TestImapServer(string folder, Process process, int port)
    {
        this.folder = folder;
        this.process = process;
        Port = port;
    }

    public static async Task<TestImapServer> StartAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The IMAP test runs Debian's Dovecot.");
        }

        if (!File.Exists(DovecotPath))
        {
            throw new InvalidOperationException($"{DovecotPath} is missing: install Debian's dovecot-imapd (scripts/test.sh does).");
        }

        var folder = Directory.CreateTempSubdirectory("portal-imap-").FullName;
        var root = Environment.UserName == "root" || GetUid() == 0;
        // As root, Dovecot's own users (dovecot, dovenull) run its services and the mailbox belongs to nobody, as Dovecot
        // refuses mail access as root; as anyone else, everything runs as that user.
        var (uid, gid) = root ? (65534, 65534) : (GetUid(), GetGid());
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var mail = Directory.CreateDirectory(Path.Combine(folder, "mail")).FullName;
        File.SetUnixFileMode(mail, (UnixFileMode)0b111_111_111);
        Directory.CreateDirectory(Path.Combine(folder, "run"));
        Directory.CreateDirectory(Path.Combine(folder, "state"));
        await File.WriteAllTextAsync(Path.Combine(folder, "passwd"), $"{User}:{{PLAIN}}{Password}:{uid}:{gid}::{mail}/{User}\n");
        var port = FreePort();
        var users = root ? "" : $"default_internal_user = {Environment.UserName}\ndefault_login_user = {Environment.UserName}\n";
        await File.WriteAllTextAsync(Path.Combine(folder, "dovecot.conf"), $$"""
            protocols = imap
            listen = 127.0.0.1
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            base_dir = {{folder}}/run
            state_dir = {{folder}}/state
            log_path = {{folder}}/dovecot.log
            mail_location = maildir:~/Maildir
            {{users}}
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{folder}}/passwd
            }
            userdb {
              driver = passwd-file
              args = username_format=%u {{folder}}/passwd
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{port}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            """);

        var process = Process.Start(new ProcessStartInfo(DovecotPath, ["-F", "-c", Path.Combine(folder, "dovecot.conf")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var server = new TestImapServer(folder, process, port);
        await server.WaitUntilListeningAsync();
        return server;
    }

    /// <summary>Puts a message into the mailbox, unseen, as a mail server's delivery would.</summary>
    public async Task DeliverAsync(string raw)
    {
        using var client = await ConnectAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await client.Inbox.AppendAsync(MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(raw))), MessageFlags.None);
        await client.DisconnectAsync(true);
    }

    /// <summary>
    /// Puts bytes into the mailbox as they are, as a mail server's delivery of a broken message would: written straight
    /// into the Maildir, since an IMAP append takes only well-formed messages.
    /// </summary>
    public async Task DeliverRawAsync(string raw)
    {
        using (var client = await ConnectAsync())
        {
            // Logging in once makes Dovecot create the Maildir.
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            await client.DisconnectAsync(true);
        }

        var file = Path.Combine(folder, "mail", User, "Maildir", "new", $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Guid.NewGuid():N}.portal-test");
        await File.WriteAllBytesAsync(file, System.Text.Encoding.UTF8.GetBytes(raw));
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
        }
    }

    /// <summary>Each message's flags and keywords, in the mailbox's order.</summary>
    public async Task<IReadOnlyList<(MessageFlags Flags, IReadOnlyList<string> Keywords)>> FlagsAsync()
    {
        using var client = await ConnectAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var summaries = await client.Inbox.FetchAsync(0, -1, MessageSummaryItems.Flags | MessageSummaryItems.UniqueId);
        await client.DisconnectAsync(true);
        return summaries.OrderBy(s => s.UniqueId.Id).Select(s => (s.Flags ?? MessageFlags.None, (IReadOnlyList<string>)s.Keywords.Order().ToList())).ToList();
    }

    /// <summary>How many messages of the mailbox are still unseen.</summary>
    public async Task<int> UnseenAsync()
    {
        using var client = await ConnectAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var unseen = (await client.Inbox.SearchAsync(MailKit.Search.SearchQuery.NotSeen)).Count;
        await client.DisconnectAsync(true);
        return unseen;
    }

    private async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(User, Password);
        return client;
    }

    private async Task WaitUntilListeningAsync()
    {
        // Readiness, not a timing assertion: the server is up once it accepts a connection.
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        var log = File.Exists(Path.Combine(folder, "dovecot.log")) ? await File.ReadAllTextAsync(Path.Combine(folder, "dovecot.log")) : "";
        var error = process.HasExited ? await process.StandardError.ReadToEndAsync() : "";
        throw new InvalidOperationException($"Dovecot did not start: {error} {log}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getuid")]
    private static extern int GetUid();

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getgid")]
    private static extern int GetGid();

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        try
        {
            Directory.Delete(folder, true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
