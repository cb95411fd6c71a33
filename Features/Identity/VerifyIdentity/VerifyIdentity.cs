using FluentValidation;
using Mediator;
using Portal.Infrastructure.Auth;

namespace Portal.Features.Identity;

/// <summary>
/// The signed-in user proves who they are when the provider requires it for orders: with the built-in method, an
/// identity document uploaded for an admin to review (<see cref="IIdentityVerificationMethod"/>).
/// </summary>
public static class VerifyIdentity
{
    public sealed class Command : ICommand
    {
        public IFormFile? Document { get; init; }
    }

    /// <summary>Where the signed-in user stands.</summary>
    public sealed record StatusQuery : IQuery<IdentityVerificationStatus>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Document).NotNull().WithMessage("Choose the file of your identity document.");
            RuleFor(x => x.Document!.Length).LessThanOrEqualTo(IdentityDocument.MaxBytes).WithMessage(IdentityDocument.TooLarge)
                .OverridePropertyName(nameof(Command.Document)).When(x => x.Document is not null);
        }
    }

    internal sealed class Handler(IIdentityVerificationMethod method, AccountContext account) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var document = command.Document!;
            var content = new byte[document.Length];
            await using (var stream = document.OpenReadStream())
            {
                await stream.ReadExactlyAsync(content, cancellationToken);
            }

            await method.StartAsync(account.UserId, new IdentitySubmission(document.FileName, content), cancellationToken);
            return Unit.Value;
        }
    }

    internal sealed class StatusHandler(IIdentityVerificationMethod method, AccountContext account) : IQueryHandler<StatusQuery, IdentityVerificationStatus>
    {
        public async ValueTask<IdentityVerificationStatus> Handle(StatusQuery query, CancellationToken cancellationToken) =>
            await method.StatusAsync(account.UserId, cancellationToken);
    }
}
