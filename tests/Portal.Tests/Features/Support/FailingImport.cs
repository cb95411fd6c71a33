using System.Text;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Portal.Features.Support;

namespace Portal.Tests.Features.Support;

/// <summary>
/// The import as the app wires it, except that a message holding <see cref="Poison"/> fails with an error that is not
/// a refusal: the stand-in for any failure of one message (a bug, a value a provider rejects).
/// </summary>
public sealed class FailingImport(ISender inner) : ISender
{
    public const string Poison = "POISON-PILL";

    public ValueTask<TResponse> Send<TResponse>(ICommand<TResponse> command, CancellationToken cancellationToken = default) =>
        command is ImportMail.Command import && Encoding.ASCII.GetString(import.Raw.Span).Contains(Poison, StringComparison.Ordinal)
            ? throw new InvalidOperationException("The database rejected a value of this message.")
            : inner.Send(command, cancellationToken);

    public ValueTask<TResponse> Send<TResponse>(IRequest<TResponse> request, CancellationToken cancellationToken = default) => inner.Send(request, cancellationToken);

    public ValueTask<TResponse> Send<TResponse>(IQuery<TResponse> query, CancellationToken cancellationToken = default) => inner.Send(query, cancellationToken);

    public ValueTask<object?> Send(object message, CancellationToken cancellationToken = default) => inner.Send(message, cancellationToken);

    public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamQuery<TResponse> query, CancellationToken cancellationToken = default) => inner.CreateStream(query, cancellationToken);

    public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamRequest<TResponse> request, CancellationToken cancellationToken = default) => inner.CreateStream(request, cancellationToken);

    public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamCommand<TResponse> command, CancellationToken cancellationToken = default) => inner.CreateStream(command, cancellationToken);

    public IAsyncEnumerable<object?> CreateStream(object message, CancellationToken cancellationToken = default) => inner.CreateStream(message, cancellationToken);

    /// <summary>Scopes whose <see cref="ISender"/> is a <see cref="FailingImport"/>, for the IMAP job.</summary>
    public sealed class Scopes(IServiceScopeFactory inner) : IServiceScopeFactory
    {
        public IServiceScope CreateScope() => new Scope(inner.CreateScope());

        private sealed class Scope(IServiceScope inner) : IServiceScope, IServiceProvider, IAsyncDisposable
        {
            public IServiceProvider ServiceProvider => this;

            public object? GetService(Type serviceType) =>
                serviceType == typeof(ISender) ? new FailingImport(inner.ServiceProvider.GetRequiredService<ISender>()) : inner.ServiceProvider.GetService(serviceType);

            public void Dispose() => inner.Dispose();

            public ValueTask DisposeAsync() => inner is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;
        }
    }
}
