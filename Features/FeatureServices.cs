using Portal.Features.InviteUser;

namespace Portal.Features;

/// <summary>Services that belong to one use case but are shared by the pages that send its messages.</summary>
public static class FeatureServices
{
    public static IServiceCollection AddFeatureServices(this IServiceCollection services)
    {
        services.AddScoped<InvitationMail>();
        services.AddScoped<Invitations>();
        services.AddScoped<Login.Login.Credentials>();
        services.AddScoped<AcceptInvitation.Acceptance>();
        services.AddSingleton<Portal.Infrastructure.Data.Money>();
        services.AddScoped<Billing.Shared.BillingMails>();
        services.AddScoped<Billing.Shared.ServiceLogins>();
        services.AddScoped<Billing.Shared.Activation>();
        services.AddScoped<VerifyEmail.EmailVerification>();
        services.AddScoped<VerifyEmail.EmailChange>();
        services.AddScoped<ExpireInvitations.ExpireInvitations.Job>();
        services.AddScoped<Tickets.ImportMail.FetchImapMail>();
        services.AddScoped<PruneInactive.PruneInactive.Job>();
        return services;
    }
}
