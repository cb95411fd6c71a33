using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Pipeline;

namespace Portal.Features.Clients;

/// <summary>The admin edits a client's profile and status. Closing an account shuts its users out on their next request.</summary>
public static class UpdateClient
{
    public sealed class Command : ProfileForm, ICommand, ITransactional
    {
        [BindNever]
        public int ClientId { get; set; }

        public ClientStatus Status { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            this.AddProfileRules();
            RuleFor(x => x.Status).IsInEnum().WithMessage("Choose a status.");
        }
    }

    internal sealed class Handler(PortalDbContext db, ActivityWriter activity, TimeProvider time) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            if (!await db.LockAsync<Client>(command.ClientId, cancellationToken))
            {
                throw Refuse.NotFound($"Client {command.ClientId}");
            }

            var client = await db.Clients.SingleAsync(c => c.Id == command.ClientId, cancellationToken);
            var profile = command.ToProfile();
            if (!string.Equals(client.Email, profile.Email, StringComparison.OrdinalIgnoreCase))
            {
                await db.LockValueAsync(nameof(ClientEmails), profile.Email.ToLowerInvariant(), cancellationToken);
                if (await ClientEmails.TakenAsync(db, profile.Email, client.Id, cancellationToken))
                {
                    throw Refuse.Because(nameof(Command.Email), ClientEmails.Taken);
                }
            }

            var before = Snapshot(client);
            var oldStatus = client.Status;
            client.Update(profile);
            client.ChangeStatus(command.Status, time.GetUtcNow());
            var changed = Snapshot(client).Where(kv => before[kv.Key] != kv.Value).Select(kv => kv.Key).ToList();

            if (changed.Count > 0)
            {
                activity.Record($"Admin updated the profile of client {client.DisplayName} (#{client.Id}): {string.Join(", ", changed)}", client.Id);
            }

            if (oldStatus != client.Status)
            {
                activity.Record($"Client {client.DisplayName} (#{client.Id}) status changed from {oldStatus} to {client.Status}", client.Id);
            }

            await db.SaveChangesAsync(cancellationToken);
            return Unit.Value;
        }

        private static Dictionary<string, string?> Snapshot(Client c) => new()
        {
            ["first name"] = c.FirstName, ["last name"] = c.LastName, ["company name"] = c.CompanyName, ["email"] = c.Email,
            ["address"] = c.Address1, ["city"] = c.City, ["state"] = c.State, ["postcode"] = c.Postcode, ["country"] = c.Country, ["phone"] = c.Phone,
        };
    }
}
