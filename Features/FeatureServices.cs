using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Features.Activity;
using Portal.Features.Benchmark;
using Portal.Features.Billing;
using Portal.Features.Identity;
using Portal.Features.Membership;
using Portal.Features.Retention;
using Portal.Features.Settings;
using Portal.Features.Setup;
using Portal.Features.Support;
using Portal.Infrastructure.Cli;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Jobs;

namespace Portal.Features;

/// <summary>
/// The features' side of composition: the services their use cases share, their recurring jobs and command-line verbs,
/// and their page conventions. Infrastructure provides the mechanisms and never names a feature.
/// </summary>
public static class FeatureServices
{
    public static IServiceCollection AddFeatureServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<SystemSettings>();
        services.AddSingleton<SettingsCache>();
        services.AddSingleton<Home.AdminHome.MenuCounts>();

        services.AddScoped<Credentials>();
        services.AddScoped<PasswordHashing>();
        services.AddSingleton<Authenticator>();
        services.AddScoped<SecurityNotices>();
        services.AddScoped<AdminTwoFactorGate>();
        services.AddScoped<RememberedBrowsers>();
        services.AddScoped<PasskeyCeremonies>();
        services.AddScoped<RecentProof>();
        services.AddScoped<RecentProofGate>();
        services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(o =>
        {
            o.Filters.AddService<AdminTwoFactorGate>(AdminTwoFactorGate.Order);
            o.Filters.AddService<RecentProofGate>(RecentProofGate.Order);
        });
        services.AddScoped<EmailVerification>();
        services.AddScoped<EmailChange>();
        services.AddScoped<AddressInUse>();
        services.AddScoped<IdentityDocumentProtection>();

        // The built-in identity verification; a hosted verification service registers its own method here instead.
        services.AddScoped<IIdentityVerificationMethod, DocumentUpload>();

        services.AddScoped<InvitationMailer>();
        services.AddScoped<Invitations>();
        services.AddScoped<Acceptance>();
        services.AddScoped<ExpireInvitations.Job>();
        services.AddRecurringJob(ExpireInvitations.Schedule);

        services.AddSingleton<Money>();
        services.AddScoped<BillingMailer>();
        services.AddScoped<ServiceLogins>();
        services.AddScoped<Activation>();
        services.AddScoped<VerifiedUserOrders>();
        services.AddScoped<SendPaymentReminders.Job>();
        services.AddRecurringJob(SendPaymentReminders.Schedule);

        InboundMessage.RegisterEncodings();
        services.AddScoped<ContactConfirmation>();
        services.AddScoped<FetchImapMail>();
        services.AddRecurringJob(FetchImapMail.Register);
        services.AddCommandLineVerb<ImportMailVerb>();

        services.AddScoped<PruneInactive.Job>();
        services.AddRecurringJob(PruneInactive.Schedule);

        if (configuration.UsesPostgres())
        {
            services.AddScoped<IActivitySearch, PostgresActivitySearch>();
        }
        else
        {
            services.AddSingleton(configuration.GetSection("ActivitySearch").Get<ActivitySearchLimits>() ?? new ActivitySearchLimits());
            services.AddScoped<IActivitySearch, SqliteActivitySearch>();
        }

        services.AddCommandLineVerb<CreateAdminVerb>();
        services.AddCommandLineVerb<SeedDemoVerb>();

        // The benchmark's floor page exists only when the app runs with the benchmark setting.
        if (!configuration.GetValue(FloorPage.SettingKey, false))
        {
            services.Configure<RazorPagesOptions>(o => o.Conventions.AddPageRouteModelConvention("/Benchmark/Floor/Index", model => model.Selectors.Clear()));
        }

        return services;
    }
}
