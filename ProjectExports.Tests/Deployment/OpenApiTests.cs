using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using ProjectExports.Http;
using ProjectExports.Jobs;
using ProjectExports.LocalHost;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Deployment;

/// <summary>
/// The OpenAPI document (which API Management imports) describes the API the code serves: the same operations
/// (method and path), named after the same functions, answering the same status codes, with the same JSON fields.
/// </summary>
public sealed class OpenApiTests
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    private static JsonElement Document { get; } =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "openapi", "project-exports.openapi.json"))).RootElement;

    /// <summary>"GET /api/projects/{projectId}/project-exports" → the operation.</summary>
    private static Dictionary<string, JsonElement> Operations()
    {
        var basePath = new Uri(Document.GetProperty("servers")[0].GetProperty("url").GetString()!).AbsolutePath.TrimEnd('/');
        var operations = new Dictionary<string, JsonElement>();
        foreach (var path in Document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)))
            {
                operations.Add($"{operation.Name.ToUpperInvariant()} {basePath}{path.Name}", operation.Value);
            }
        }
        return operations;
    }

    private static string Describe(string name, IEnumerable<int> statuses) => $"{name}: {string.Join(",", statuses.Distinct().Order())}";

    [Fact]
    public async Task Every_endpoint_of_the_code_is_an_operation_with_its_name_and_status_codes_and_nothing_else_is()
    {
        await using var app = LocalHostApp.Create([], builder => builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { [StorageNames.ConnectionSetting] = "UseDevelopmentStorage=true" }));
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/" + Routes.Prefix + "/", StringComparison.Ordinal) == true)
            // HEAD is GET without content (RFC 9110), answered on every GET route and not listed separately.
            .SelectMany(e => e.Metadata.GetRequiredMetadata<IHttpMethodMetadata>().HttpMethods.Where(m => m != "HEAD").Select(method => (
                Key: $"{method} {e.RoutePattern.RawText}",
                Description: Describe(
                    e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "(unnamed)",
                    e.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>().Select(p => p.StatusCode)))))
            .ToDictionary(e => e.Key, e => e.Description);
        Assert.NotEmpty(endpoints);

        var documented = Operations().ToDictionary(
            o => o.Key,
            o => Describe(o.Value.GetProperty("operationId").GetString()!, o.Value.GetProperty("responses").EnumerateObject().Select(r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture))));

        Assert.Equal(endpoints.OrderBy(e => e.Key, StringComparer.Ordinal), documented.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    public static TheoryData<string, string> SchemasOfApiTypes() => new()
    {
        { "ExportRecord", nameof(ApiJsonContext.ExportRecord) },
        { "ExportError", nameof(ApiJsonContext.JobError) },
        { "ExportSelection", nameof(ApiJsonContext.SelectedNames) },
        { "FidelityItem", nameof(ApiJsonContext.FidelityItem) },
        { "AuditEntry", nameof(ApiJsonContext.AuditEntry) },
        { "HealthReport", nameof(ApiJsonContext.HealthReport) },
        { "CreateExportRequest", nameof(ApiJsonContext.CreateExportRequest) },
        { "ExportPage", nameof(ApiJsonContext.ListPageExportRecord) },
        { "AuditPage", nameof(ApiJsonContext.ListPageAuditEntry) },
        { "ImportRecord", nameof(ApiJsonContext.ImportRecord) },
        { "ImportPage", nameof(ApiJsonContext.ListPageImportRecord) },
        { "ImportValidation", nameof(ApiJsonContext.ImportValidation) },
        { "ImportSummary", nameof(ApiJsonContext.ImportSummary) },
        { "ImportPlanReview", nameof(ApiJsonContext.ImportPlanReview) },
        { "ImportPlanEntry", nameof(ApiJsonContext.ImportPlanEntry) },
        { "ImportFieldChange", nameof(ApiJsonContext.ImportFieldChange) },
        { "ImportEntityList", nameof(ApiJsonContext.ImportEntityList) },
        { "ProjectEntityRef", nameof(ApiJsonContext.ProjectEntityRef) },
        { "RevertSummary", nameof(ApiJsonContext.RevertSummary) },
        { "CreateProjectRequest", nameof(ApiJsonContext.CreateProjectRequest) },
        { "ProjectDetails", nameof(ApiJsonContext.ProjectDetails) },
        { "ProjectCounts", nameof(ApiJsonContext.ProjectCounts) },
        { "ProjectSummary", nameof(ApiJsonContext.ProjectEntry) },
        { "ProjectPage", nameof(ApiJsonContext.ListPageProjectEntry) },
        { "Progress", nameof(ApiJsonContext.ProcessingProgress) },
    };

    [Theory]
    [MemberData(nameof(SchemasOfApiTypes))]
    public void Each_schema_names_exactly_the_json_properties_the_code_writes(string schema, string typeInfoProperty)
    {
        var typeInfo = (JsonTypeInfo)typeof(ApiJsonContext).GetProperty(typeInfoProperty)!.GetValue(ApiJsonContext.Default)!;
        var written = typeInfo.Properties
            // Members left out only when null (optional in the answer) are still written; only those never written are not.
            .Where(p => (p.AttributeProvider?.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute), inherit: true)
                .Cast<System.Text.Json.Serialization.JsonIgnoreAttribute>().FirstOrDefault()?.Condition ?? System.Text.Json.Serialization.JsonIgnoreCondition.Never)
                is not System.Text.Json.Serialization.JsonIgnoreCondition.Always)
            .Select(p => p.Name).Order(StringComparer.Ordinal);
        var described = Document.GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties")
            .EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(written, described);
    }

    [Fact]
    public void Every_reference_resolves()
    {
        var references = new List<string>();
        Collect(Document, references);
        Assert.NotEmpty(references);
        foreach (var reference in references)
        {
            Assert.StartsWith("#/", reference, StringComparison.Ordinal);
            var target = Document;
            foreach (var segment in reference[2..].Split('/'))
            {
                Assert.True(target.TryGetProperty(segment, out target), $"{reference} does not resolve.");
            }
        }
    }

    private static void Collect(JsonElement element, List<string> references)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "$ref") references.Add(property.Value.GetString()!);
                else Collect(property.Value, references);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray()) Collect(item, references);
        }
    }
}
