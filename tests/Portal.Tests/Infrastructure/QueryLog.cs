using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// Records every database command the app sends while serving a request that carries <see cref="Header"/>, under that
/// header's value: one command is one round trip. A test gives its browser a fresh id and reads what the page cost.
/// </summary>
public sealed class QueryLog(IHttpContextAccessor http) : DbCommandInterceptor
{
    public const string Header = "X-Test-Query-Log";

    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _commands = new();

    /// <summary>The commands recorded under <paramref name="id"/>, oldest first, and forgets them.</summary>
    public IReadOnlyList<string> Take(string id) => _commands.TryRemove(id, out var commands) ? commands.ToList() : [];

    private void Record(DbCommand command)
    {
        if (http.HttpContext?.Request.Headers[Header].ToString() is { Length: > 0 } id)
        {
            _commands.GetOrAdd(id, _ => new ConcurrentQueue<string>()).Enqueue(command.CommandText);
        }
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }
}

public static class QueryLogSteps
{
    /// <summary>GETs <paramref name="url"/> and returns the page with the database commands the app sent to serve it.</summary>
    public static async Task<(Page Page, IReadOnlyList<string> Commands)> GetCountingAsync(this PortalFixture portal, Browser browser, string url)
    {
        var id = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add(QueryLog.Header, id);
        var page = await Page.ReadAsync(await browser.Client.SendAsync(request));
        var log = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<QueryLog>(portal.Factory.Services);
        return (page, log.Take(id));
    }
}
