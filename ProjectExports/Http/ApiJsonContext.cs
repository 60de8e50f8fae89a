using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using ProjectExports.Audit;
using ProjectExports.Exports;
using ProjectExports.Exports.Flagd;
using ProjectExports.Imports;
using ProjectExports.Imports.Review;
using ProjectExports.Projects;

namespace ProjectExports.Http;

/// <summary>The API's JSON, for every endpoint and queue message: snake_case, strict on input (unknown members, duplicate members, wrong types and nulls for non-nullable fields fail).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(UtcTimestampConverter)],
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(CreateExportRequest))]
[JsonSerializable(typeof(ExportRecord))]
[JsonSerializable(typeof(SelectedNames))]
[JsonSerializable(typeof(IReadOnlyList<FidelityItem>))]
[JsonSerializable(typeof(ListPage<ExportRecord>))]
[JsonSerializable(typeof(ListPage<AuditEntry>))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(ImportRecord))]
[JsonSerializable(typeof(ListPage<ImportRecord>))]
[JsonSerializable(typeof(ImportValidation))]
[JsonSerializable(typeof(List<ImportIssue>))]
[JsonSerializable(typeof(ImportSummary))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(ImportPlanReview))]
[JsonSerializable(typeof(ImportEntityList))]
[JsonSerializable(typeof(RevertSummary))]
[JsonSerializable(typeof(IReadOnlyList<ProjectEntityRef>))]
[JsonSerializable(typeof(CreateProjectRequest))]
[JsonSerializable(typeof(ProjectDetails))]
[JsonSerializable(typeof(ListPage<ProjectEntry>))]
public sealed partial class ApiJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The encoder of every JSON answer (these types and problem bodies). The default one escapes HTML-sensitive
    /// characters ('"&lt;&gt;&amp;+ and non-ASCII) as \uXXXX so JSON can be pasted into HTML; the API only ever answers
    /// application/json (and problem+json), which no browser renders as HTML, so that escaping only makes messages
    /// like "Tag 'core' …" harder to read. JSON's own rules (quotes, backslashes, control characters) still apply.
    /// Problem bodies, which ASP.NET Core writes with its own JSON options, use this encoder by default for the same reason.
    /// </summary>
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>
    /// This context with <see cref="Encoder"/>: use it, not <see cref="Default"/>, for everything the API writes.
    /// (The source generator's options cannot name an encoder, so the generated Default cannot carry it.)
    /// </summary>
    public static ApiJsonContext Wire => LazyWire.Value;

    // Lazy: Default is initialized in the generated half of this class, in an order static initializers do not fix.
    private static readonly Lazy<ApiJsonContext> LazyWire = new(CreateWire);

    private static ApiJsonContext CreateWire() => new(new JsonSerializerOptions(Default.Options) { Encoder = Encoder });
}
