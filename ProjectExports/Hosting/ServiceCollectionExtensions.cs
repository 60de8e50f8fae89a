using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ProjectExports.Audit;
using ProjectExports.Exports;
using ProjectExports.Http;
using ProjectExports.Imports;
using ProjectExports.Jobs;
using ProjectExports.Projects;
using ProjectExports.Security;
using ProjectExports.Storage;

namespace ProjectExports.Hosting;

public static class ServiceCollectionExtensions
{
    /// <summary>Everything both hosts share: storage clients, stores, the export pipeline, cleanup and HTTP handlers.</summary>
    public static IServiceCollection AddProjectExports(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ExportOptions>()
            .Bind(configuration.GetSection(ExportOptions.SectionName))
            .Validate(o => o.MaxDocumentBytes > 0, $"{ExportOptions.SectionName}:MaxDocumentBytes must be positive.")
            .Validate(o => o.Retention > TimeSpan.Zero, $"{ExportOptions.SectionName}:Retention must be positive (d.hh:mm:ss).")
            .ValidateOnStart();
        services.AddOptions<ImportOptions>()
            .Bind(configuration.GetSection(ImportOptions.SectionName))
            .Validate(o => o.MaxDocumentBytes > 0, $"{ImportOptions.SectionName}:MaxDocumentBytes must be positive.")
            .Validate(o => o.Retention > TimeSpan.Zero, $"{ImportOptions.SectionName}:Retention must be positive (d.hh:mm:ss).")
            .Validate(o => o.MaxConcurrentLargeDocuments >= 1 && o.LargeDocumentBytes >= 0 && o.BusyRetryAfter > TimeSpan.Zero,
                $"{ImportOptions.SectionName}:MaxConcurrentLargeDocuments must be at least 1, LargeDocumentBytes not negative and BusyRetryAfter positive.")
            .ValidateOnStart();

        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .Validate(o => o.Requests.IsValid && o.Background.IsValid,
                $"{StorageOptions.SectionName}:Requests and :Background need a positive NetworkTimeout, MaxRetries from 0 to 10 and Delay no longer than MaxDelay.")
            .Validate(o => o.HealthTimeout > TimeSpan.Zero, $"{StorageOptions.SectionName}:HealthTimeout must be positive.")
            .Validate(o => o.WriteBytesInFlight >= WriteBudget.MinBytes, $"{StorageOptions.SectionName}:WriteBytesInFlight must be at least {WriteBudget.MinBytes} bytes.")
            .ValidateOnStart();
        services.AddSingleton(s => StorageClients.FromConfiguration(
            configuration, s.GetRequiredService<IOptions<StorageOptions>>().Value, s.GetServices<StoragePipelinePolicy>()));
        services.AddSingleton<ProjectStore>();
        services.AddSingleton<ProjectDirectory>();
        services.AddJobs(configuration);
        services.AddJobKind<ExportRecord, ExportJobKind, ExportBuilder>();
        services.AddJobKind<ImportRecord, ImportJobKind, ImportApplier>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ExportDocumentWriter>();
        services.AddSingleton<Exports.Flagd.FlagdDocumentWriter>();
        services.AddSingleton<ExportRequests>();
        services.AddSingleton<ExportSelectionCheck>();
        services.AddOptions<AuthOptions>()
            .Bind(configuration.GetSection(AuthOptions.SectionName))
            .Validate(o => !o.BearerEnabled || o.Audiences.Count > 0, $"{AuthOptions.SectionName}:Audience is required when bearer tokens are configured.")
            .Validate(o => string.IsNullOrWhiteSpace(o.Jwks) || !string.IsNullOrWhiteSpace(o.Issuer), $"{AuthOptions.SectionName}:Issuer is required with {AuthOptions.SectionName}:Jwks.")
            .Validate(o => o.ClockSkew >= TimeSpan.Zero && o.ClockSkew <= TimeSpan.FromMinutes(10), $"{AuthOptions.SectionName}:ClockSkew must be between 0 and 10 minutes.")
            .Validate(o => o.ApiKeyCacheDuration >= TimeSpan.Zero && o.ApiKeyCacheDuration <= TimeSpan.FromMinutes(5), $"{AuthOptions.SectionName}:ApiKeyCacheDuration must be between 0 and 5 minutes.")
            .ValidateOnStart();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<VerifiedApiKeys>();
        services.AddSingleton<ProjectGrantStore>();
        services.AddSingleton<BearerTokenValidator>();
        services.AddSingleton<CallerAuthenticator>();
        services.AddSingleton<ImportTargets>();
        services.AddSingleton<ImportPlanStore>();
        services.AddSingleton<ImportSnapshotStore>();
        services.AddSingleton<ImportWrites>();
        services.AddSingleton<ImportPlanWrites>();
        services.AddSingleton<ImportReverts>();
        services.AddSingleton<ImportRequests>();
        services.AddSingleton<ImportAdmission>();
        services.AddSingleton<ImportHttpHandlers>();
        services.AddSingleton<KnownProjects>();
        services.AddSingleton<ApiGate>();
        services.AddSingleton<ExportHttpHandlers>();
        services.AddSingleton<AuditHttpHandlers>();
        services.AddSingleton<ProjectHttpHandlers>();
        services.AddSingleton<HealthHandler>();
        return services;
    }
}
