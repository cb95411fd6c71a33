using Portal.Features;
using Portal.Infrastructure.Auth;
using Portal.Infrastructure.Cli;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Jobs;
using Portal.Infrastructure.Web;
using Portal.Features.Setup;

var builder = WebApplication.CreateBuilder(args);

builder.Services
    .AddPortalData(builder.Configuration)
    .AddPortalAuth(builder.Configuration)
    .AddPortalWeb(builder.Configuration)
    .AddPortalEmail(builder.Configuration)
    .AddPortalJobs(builder.Configuration)
    .AddFeatureServices(builder.Configuration);

var app = builder.Build();
if (CommandLine.AnswersUsage(app.Services, args, Console.Out, Console.Error))
{
    return;
}

try
{
    await app.Services.MigrateDatabaseAsync();
}
catch (Exception e) when (CommandLine.StartFailed(app.Services, args, e))
{
    return;
}

if (await CommandLine.TryRunAsync(app.Services, args))
{
    return;
}

app.UsePortalWeb();
app.UsePortalJobs();
await app.Services.AnnounceAdminSetupAsync();
await app.RunAsync();

public partial class Program;
