using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using ProjectExports.Exports;
using ProjectExports.Http;
using ProjectExports.Jobs;
using ProjectExports.LocalHost;
using ProjectExports.Storage;
using ProjectExports.Tests.FunctionsHost.Rpc;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.FunctionsHost;

/// <summary>
/// One definition for both hosts: the function metadata the worker's SDK generated for the built app, and the
/// host.json it ships, agree with the routes, queues, schedule and queue settings the core and the LocalHost use,
/// and with the OpenAPI document API Management imports.
/// </summary>
public sealed class FunctionDefinitionTests
{
    private static readonly IReadOnlyList<LoadedFunction> Functions = ReadBuiltMetadata();
    private static readonly HostJson Host = HostJson.Read(Path.Combine(FunctionsWorkerFixture.AppDirectory, "host.json"));

    /// <summary>The functions.metadata the Worker SDK wrote beside the built app, in the protocol's own shape.</summary>
    private static List<LoadedFunction> ReadBuiltMetadata()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionsWorkerFixture.AppDirectory, "functions.metadata")));
        return [.. document.RootElement.EnumerateArray().Select(function =>
        {
            var metadata = new RpcFunctionMetadata
            {
                Name = function.GetProperty("name").GetString()!,
                ScriptFile = function.GetProperty("scriptFile").GetString()!,
                EntryPoint = function.GetProperty("entryPoint").GetString()!,
            };
            metadata.RawBindings.AddRange(function.GetProperty("bindings").EnumerateArray().Select(b => b.GetRawText()));
            return LoadedFunction.From(metadata);
        })];
    }

    private static Dictionary<string, RouteEndpoint> LocalHostEndpoints()
    {
        var app = LocalHostApp.Create([], builder => builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { [StorageNames.ConnectionSetting] = "UseDevelopmentStorage=true" }));
        return ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null)
            .ToDictionary(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName);
    }

    [Fact]
    public void Every_HTTP_function_has_the_LocalHost_endpoint_and_the_OpenAPI_operation_of_the_same_name_method_and_route()
    {
        var endpoints = LocalHostEndpoints();
        var openApi = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "openapi", "project-exports.openapi.json"))).RootElement;
        var operations = openApi.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("operationId", out _))
                .Select(o => (Id: o.Value.GetProperty("operationId").GetString()!, Method: o.Name.ToUpperInvariant(), Path: path.Name, Operation: o.Value)))
            .ToDictionary(o => o.Id);
        var http = Functions.Where(f => f.TriggerType == "httpTrigger").ToList();

        Assert.Equal(endpoints.Keys.Order(), http.Select(f => f.Name).Order());
        foreach (var function in http)
        {
            var route = $"/{Host.RoutePrefix}/{function.Property("route")}";
            var endpoint = endpoints[function.Name];
            Assert.Equal(route, endpoint.RoutePattern.RawText);
            Assert.Equal(function.Methods, endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods);

            // HEAD comes with every GET in both hosts; the OpenAPI document lists the GET alone.
            var operation = operations[function.Name];
            Assert.Equal(function.Methods.Where(m => m != "HEAD"), [operation.Method]);
            Assert.Equal(function.Property("route"), operation.Path.TrimStart('/'));
            // Anonymous at the host exactly where the API itself asks for no credentials.
            var anonymousInApi = operation.Operation.TryGetProperty("security", out var security) && security.GetArrayLength() == 0;
            Assert.Equal(anonymousInApi ? "Anonymous" : "Function", function.Property("authLevel"));
        }
        Assert.Equal(Routes.Prefix, Host.RoutePrefix);
    }

    [Fact]
    public void Queue_triggers_read_the_core_queues_through_the_storage_setting_and_the_timer_runs_on_the_cleanup_schedule()
    {
        var queues = Functions.Where(f => f.TriggerType == "queueTrigger").ToDictionary(f => f.Name);
        Assert.Equal(StorageNames.ExportQueue, queues["BuildExport"].Property("queueName"));
        Assert.Equal(StorageNames.ImportQueue, queues["ApplyImport"].Property("queueName"));
        Assert.All(queues.Values, q => Assert.Equal(StorageNames.ConnectionSetting, q.Property("connection")));
        Assert.Equal(2, queues.Count);

        var timer = Assert.Single(Functions, f => f.TriggerType == "timerTrigger");
        Assert.Equal(CleanupSchedule.BindingExpression, timer.Property("schedule"));
    }

    [Fact]
    public void The_LocalHost_and_the_core_use_host_json_queue_settings_and_a_live_build_outlives_no_stall_check()
    {
        var listener = new QueueListenerOptions();
        var jobs = new JobOptions();
        Assert.Equal(Host.MaxDequeueCount, jobs.MaxDequeueCount);
        Assert.Equal(Host.VisibilityTimeout, listener.VisibilityTimeout);
        Assert.Equal(Host.MaxPollingInterval, listener.MaxPollingInterval);
        Assert.Equal(Host.BatchSize, listener.BatchSize);
        Assert.Equal("base64", Host.MessageEncoding);
        Assert.Equal(Azure.Storage.Queues.QueueMessageEncoding.Base64, StorageClients.QueueOptions(new StorageOptions().Requests).MessageEncoding);
        // The host stops a function after functionTimeout; an export or import still PROCESSING after the stall
        // timeout is marked FAILED, so that must never happen to one that is still running.
        Assert.True(Host.FunctionTimeout < jobs.StallTimeout, $"functionTimeout {Host.FunctionTimeout} must be shorter than the stall timeout {jobs.StallTimeout}.");
        var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "local.settings.sample.json"))).RootElement.GetProperty("Values");
        Assert.True(Host.FunctionTimeout < TimeSpan.Parse(sample.GetProperty("Jobs__StallTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Host_json_lets_Application_Insights_record_every_invocation_including_successes()
    {
        var results = Host.LogLevels.TryGetProperty("Host.Results", out var level) ? level.GetString()
            : Host.LogLevels.GetProperty("default").GetString();
        Assert.Contains(results, new[] { "Trace", "Debug", "Information" });
    }
}
