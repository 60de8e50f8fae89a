using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ProjectExports.Jobs;

public static class JobServiceCollectionExtensions
{
    /// <summary>The machinery every kind of job shares: options, the index and the cleanup that runs every kind's.</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobOptions>()
            .Bind(configuration.GetSection(JobOptions.SectionName))
            .Validate(o => o.StallTimeout > TimeSpan.Zero, $"{JobOptions.SectionName}:StallTimeout must be positive (hh:mm:ss).")
            .Validate(o => o.MaxDequeueCount >= 1, $"{JobOptions.SectionName}:MaxDequeueCount must be at least 1.")
            .ValidateOnStart();
        services.TryAddSingleton<JobIndex>();
        services.TryAddSingleton<JobCleanup>();
        return services;
    }

    /// <summary>One kind of job: its description, its step, and the shared store, runner, requests, events and cleanup typed for it.</summary>
    public static IServiceCollection AddJobKind<TRecord, TKind, TStep>(this IServiceCollection services)
        where TRecord : JobRecord<TRecord>
        where TKind : JobKind<TRecord>
        where TStep : class, IJobStep<TRecord>
    {
        services.AddSingleton<JobKind<TRecord>, TKind>();
        services.AddSingleton<TStep>();
        services.AddSingleton<IJobStep<TRecord>>(s => s.GetRequiredService<TStep>());
        services.AddSingleton<JobStore<TRecord>>();
        services.AddSingleton<JobEvents<TRecord>>();
        services.AddSingleton<JobRequests<TRecord>>();
        services.AddSingleton<JobRunner<TRecord>>();
        services.AddSingleton<IJobCleanup, JobKindCleanup<TRecord>>();
        return services;
    }
}
