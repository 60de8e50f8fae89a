using Microsoft.Extensions.Options;
using ProjectExports.LocalHost.Demo;
using ProjectExports.Projects;

namespace ProjectExports.LocalHost;

/// <summary>Section <c>Demo</c>: which demo project to load at start, if any, and how big.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Project id to create with demo data when it does not exist yet; empty loads nothing.</summary>
    public string? Project { get; set; }

    /// <summary>small, medium or large.</summary>
    public string Size { get; set; } = "small";
}

/// <summary>Loads the demo project before the server starts listening, so a ready health check means demo data is there.</summary>
public sealed class DemoProjectLoader(ProjectStore projects, IOptions<DemoOptions> options, ILogger<DemoProjectLoader> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var projectId = options.Value.Project;
        if (string.IsNullOrWhiteSpace(projectId))
        {
            return;
        }
        if (!ProjectIds.IsValid(projectId))
        {
            throw new InvalidOperationException($"Demo:Project '{projectId}' is not a valid project id: use {ProjectIds.Rule}.");
        }
        if (await projects.GetProjectAsync(projectId, cancellationToken) is not null)
        {
            logger.LogInformation("Demo project {ProjectId} already exists; left as it is.", projectId);
            return;
        }
        var snapshot = DemoProjectGenerator.Generate(projectId, $"Demo project ({options.Value.Size})", DemoProjectSpec.Named(options.Value.Size));
        await projects.SaveAsync(snapshot, cancellationToken);
        logger.LogInformation("Loaded demo project {ProjectId} ({Size}: {Features} features, {Environments} environments).",
            projectId, options.Value.Size, snapshot.Features.Count, snapshot.Environments.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
