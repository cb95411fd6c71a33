using Portal.Features.Membership;
using Portal.Features.Identity;
using Portal.Features.Retention;

namespace Portal.Features;

/// <summary>Services that belong to one use case but are shared by the pages that send its messages.</summary>
public static class FeatureServices
{
    public static IServiceCollection AddFeatureServices(this IServiceCollection services)
    {
        services.AddScoped<InvitationMailer>();
        services.AddScoped<Invitations>();
        services.AddScoped<Credentials>();
        services.AddScoped<Acceptance>();
        services.AddSingleton<Portal.Features.Billing.Money>();
        services.AddScoped<Billing.BillingMails>();
        services.AddScoped<Billing.ServiceLogins>();
        services.AddScoped<Billing.Activation>();
        services.AddScoped<EmailVerification>();
        services.AddScoped<EmailChange>();
        services.AddScoped<ExpireInvitations.Job>();
        services.AddScoped<Support.FetchImapMail>();
        services.AddScoped<PruneInactive.Job>();
        return services;
    }
}
