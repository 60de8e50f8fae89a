using ProjectExports.Audit;
using ProjectExports.Exports;
using ProjectExports.Hosting;
using ProjectExports.Http;
using ProjectExports.Imports;
using ProjectExports.Imports.Review;
using ProjectExports.Projects;
using ProjectExports.Storage;

namespace ProjectExports.LocalHost;

/// <summary>
/// Runs the app without the Functions host: the same routes (under /api) on Kestrel, the same queue with the
/// Functions host's semantics, and the cleanup on the same schedule setting. Tests build it in-process.
/// </summary>
public static class LocalHostApp
{
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.HoldRequestLimitsInTheApp();
        LocalStorageDefault.AddTo(builder.Configuration);
        builder.Services.AddProjectExports(builder.Configuration);
        builder.Services.AddOptions<QueueListenerOptions>().Bind(builder.Configuration.GetSection(QueueListenerOptions.SectionName))
            .Validate(o => o.MinPollingInterval > TimeSpan.Zero && o.MinPollingInterval <= o.MaxPollingInterval,
                $"{QueueListenerOptions.SectionName}:MinPollingInterval must be positive and no longer than {QueueListenerOptions.SectionName}:MaxPollingInterval.")
            .Validate(o => o.BatchSize is >= 1 and <= 32, $"{QueueListenerOptions.SectionName}:BatchSize must be between 1 and 32 (the queue service's most per receive).")
            .ValidateOnStart();
        builder.Services.AddOptions<DemoOptions>().Bind(builder.Configuration.GetSection(DemoOptions.SectionName));
        builder.Services.AddSingleton<QueueSignals>();
        builder.Services.AddSingleton(s => new StoragePipelinePolicy(StorageService.Queues, s.GetRequiredService<QueueSignals>()));
        // Started in this order, all before the server listens: storage first, as everything after writes to it.
        builder.Services.AddHostedService<StorageInitializer>();
        builder.Services.AddHostedService<LocalAdminKey>();
        builder.Services.AddHostedService<DemoProjectLoader>();
        builder.Services.AddHostedService<ExportQueueListener>();
        builder.Services.AddHostedService<ImportQueueListener>();
        builder.Services.AddHostedService<CleanupTimer>();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseHttpProtocolProblems();
        MapRoutes(app);
        return app;
    }

    private static void MapRoutes(WebApplication app)
    {
        var api = app.MapGroup("/" + Routes.Prefix).AnswerHeadLikeGet().AddEndpointFilter<ApiGateFilter>();
        api.MapGet(Routes.Health, (HttpRequest request, HealthHandler health) => health.CheckAsync(request))
            .Describe("Health", StatusCodes.Status200OK, typeof(HealthReport), StatusCodes.Status503ServiceUnavailable);
        api.MapPut(Routes.Project, (HttpRequest request, string projectId, ProjectHttpHandlers projects) => projects.CreateAsync(request, projectId, ApiGate.CallerOf(request)))
            .Describe("CreateProject", StatusCodes.Status201Created, typeof(ProjectDetails), StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized,
                StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status503ServiceUnavailable)
            .Produces(StatusCodes.Status200OK, typeof(ProjectDetails), "application/json");
        api.MapGet(Routes.Projects, (HttpRequest request, ProjectHttpHandlers projects) => projects.ListAsync(request, ApiGate.CallerOf(request)))
            .Describe("ListProjects", StatusCodes.Status200OK, typeof(ListPage<ProjectEntry>), StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status503ServiceUnavailable);
        api.MapGet(Routes.Project, (HttpRequest request, string projectId, ProjectHttpHandlers projects) => projects.GetAsync(request, projectId))
            .DescribeProjectEndpoint("GetProject", StatusCodes.Status200OK, typeof(ProjectDetails));
        api.MapPost(Routes.Exports, (HttpRequest request, string projectId, ExportHttpHandlers exports) => exports.CreateAsync(request, projectId, ApiGate.CallerOf(request).Caller))
            .DescribeProjectEndpoint("CreateExport", StatusCodes.Status202Accepted, typeof(ExportRecord), StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        api.MapGet(Routes.Exports, (HttpRequest request, string projectId, ExportHttpHandlers exports) => exports.ListAsync(request, projectId))
            .DescribeProjectEndpoint("ListExports", StatusCodes.Status200OK, typeof(ListPage<ExportRecord>));
        api.MapGet(Routes.Export, (HttpRequest request, string projectId, string exportId, ExportHttpHandlers exports) => exports.GetAsync(request, projectId, exportId))
            .DescribeProjectEndpoint("GetExport", StatusCodes.Status200OK, typeof(ExportRecord));
        api.MapGet(Routes.ExportDownload, (HttpRequest request, string projectId, string exportId, ExportHttpHandlers exports) => exports.DownloadAsync(request, projectId, exportId))
            .DescribeProjectEndpoint("DownloadExport", StatusCodes.Status200OK, null, StatusCodes.Status409Conflict);
        api.MapPost(Routes.Imports, (HttpRequest request, string projectId, ImportHttpHandlers imports) => imports.CreateAsync(request, projectId, ApiGate.CallerOf(request).Caller))
            .DescribeProjectEndpoint("CreateImport", StatusCodes.Status202Accepted, typeof(ImportRecord), StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        api.MapPost(Routes.ImportValidate, (HttpRequest request, string projectId, ImportHttpHandlers imports) => imports.ValidateAsync(request, projectId))
            .DescribeProjectEndpoint("ValidateImport", StatusCodes.Status200OK, typeof(ImportValidation), StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        api.MapGet(Routes.Imports, (HttpRequest request, string projectId, ImportHttpHandlers imports) => imports.ListAsync(request, projectId))
            .DescribeProjectEndpoint("ListImports", StatusCodes.Status200OK, typeof(ListPage<ImportRecord>));
        api.MapGet(Routes.Import, (HttpRequest request, string projectId, string importId, ImportHttpHandlers imports) => imports.GetAsync(request, projectId, importId))
            .DescribeProjectEndpoint("GetImport", StatusCodes.Status200OK, typeof(ImportRecord));
        api.MapGet(Routes.ImportPlan, (HttpRequest request, string projectId, string importId, ImportHttpHandlers imports) => imports.DownloadPlanAsync(request, projectId, importId))
            .DescribeProjectEndpoint("DownloadImportPlan", StatusCodes.Status200OK, typeof(ImportPlanReview));
        api.MapPost(Routes.ImportRevert, (HttpRequest request, string projectId, string importId, ImportHttpHandlers imports) => imports.RevertAsync(request, projectId, importId, ApiGate.CallerOf(request).Caller))
            .DescribeProjectEndpoint("RevertImport", StatusCodes.Status202Accepted, typeof(ImportRecord), StatusCodes.Status409Conflict);
        api.MapGet(Routes.AuditLog, (HttpRequest request, string projectId, AuditHttpHandlers audit) => audit.ListAsync(request, projectId))
            .DescribeProjectEndpoint("ListAuditLog", StatusCodes.Status200OK, typeof(ListPage<AuditEntry>));
    }
}
