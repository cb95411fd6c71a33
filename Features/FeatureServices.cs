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
        services.AddScoped<VerifyEmail.EmailVerification>();
        services.AddScoped<ExpireInvitations.ExpireInvitations.Job>();
        return services;
    }
}
