using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Features.Shared;
using Portal.Infrastructure.Activity;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Data;

namespace Portal.Features.Clients;

/// <summary>
/// The active account's profile (the "Modify Master Account Profile" permission): the billable party's name,
/// company, contact e-mail and address. The contact e-mail is not anyone's login.
/// </summary>
public static class AccountProfile
{
    public sealed record Query : IQuery<Command>;

    internal sealed class QueryHandler(PortalDbContext db, AccountContext account) : IQueryHandler<Query, Command>
    {
        public async ValueTask<Command> Handle(Query query, CancellationToken cancellationToken)
        {
            var clientId = account.RequireAccount().ClientId;
            return await db.Clients.Where(c => c.Id == clientId)
                .Select(c => new Command
                {
                    FirstName = c.FirstName,
                    LastName = c.LastName,
                    CompanyName = c.CompanyName,
                    Email = c.Email,
                    Address1 = c.Address1,
                    City = c.City,
                    State = c.State,
                    Postcode = c.Postcode,
                    Country = c.Country,
                    Phone = c.Phone,
                })
                .SingleAsync(cancellationToken);
        }
    }

    public sealed class Command : ProfileForm, ICommand;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => this.AddProfileRules();
    }

    internal sealed class Handler(PortalDbContext db, AccountContext account, ActivityWriter activity) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken cancellationToken)
        {
            var clientId = account.RequireAccount().ClientId;
            var client = await db.Clients.SingleAsync(c => c.Id == clientId, cancellationToken);
            client.Update(command.ToProfile());
            var changed = db.Entry(client).Properties.Where(p => p.IsModified).Select(p => p.Metadata.Name).ToList();
            if (changed.Count > 0)
            {
                activity.Record($"Client profile of {client.DisplayName} updated ({string.Join(", ", changed)})", client.Id);
                await db.SaveChangesAsync(cancellationToken);
            }

            return Unit.Value;
        }
    }
}
