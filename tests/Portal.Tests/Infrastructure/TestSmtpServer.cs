using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Portal.Tests.Infrastructure;

/// <summary>A real SMTP server on a loopback port, inside the test process, keeping every message it receives.</summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public int Port { get; }

    public ConcurrentQueue<MimeMessage> Received { get; }

    private TestSmtpServer(int port, ConcurrentQueue<MimeMessage> received)
    {
        Port = port;
        Received = received;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(received));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    /// <summary>Starts a server on <paramref name="port"/>, or on a free port; a restarted server keeps the earlier messages.</summary>
    public static async Task<TestSmtpServer> StartAsync(int? port = null, ConcurrentQueue<MimeMessage>? received = null)
    {
        var server = new TestSmtpServer(port ?? FreePort(), received ?? new ConcurrentQueue<MimeMessage>());
        await WaitUntilListeningAsync(server.Port);
        return server;
    }

    public IReadOnlyList<MimeMessage> To(string address) =>
        Received.Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>The app's real outbox sender, delivering through MailKit to this server (or to whatever listens on the port).</summary>
    public static OutboxSender SenderFor(PortalDbContext db, TimeProvider time, int port) =>
        new(db, new SmtpMailTransport(Options.Create(new MailOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = port, Security = "None" } })),
            time, Options.Create(new MailOptions()), NullLogger<OutboxSender>.Instance);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static async Task WaitUntilListeningAsync(int port)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }

        throw new InvalidOperationException($"The test SMTP server did not start on port {port}.");
    }

    private sealed class Store(ConcurrentQueue<MimeMessage> received) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            received.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
