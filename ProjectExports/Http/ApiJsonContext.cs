using System.Text.Json.Serialization;
using ProjectExports.Audit;
using ProjectExports.Exports;
using ProjectExports.Imports;
using ProjectExports.Projects;

namespace ProjectExports.Http;

/// <summary>Request body of POST …/project-exports. Every field is optional; unknown fields are refused.</summary>
public sealed record CreateExportRequest
{
    // Settable, not init: the source generator sets init-only properties in one object initializer,
    // which would reset a missing field to false instead of keeping its default.
    public bool IncludeIdentityOverrides { get; set; }
    public bool IncludeTags { get; set; } = true;
}

/// <summary>A page of a list: the items and an opaque token for the next page, or null on the last.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Results, string? Next);

public sealed record HealthReport(string Status);

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
[JsonSerializable(typeof(ListPage<ExportRecord>))]
[JsonSerializable(typeof(ListPage<AuditEntry>))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(ExportBuildMessage))]
[JsonSerializable(typeof(ImportRecord))]
[JsonSerializable(typeof(ListPage<ImportRecord>))]
[JsonSerializable(typeof(ImportValidation))]
[JsonSerializable(typeof(List<ImportIssue>))]
[JsonSerializable(typeof(ImportSummary))]
[JsonSerializable(typeof(ImportApplyMessage))]
[JsonSerializable(typeof(CreateProjectRequest))]
[JsonSerializable(typeof(ProjectDetails))]
[JsonSerializable(typeof(ListPage<ProjectEntry>))]
public sealed partial class ApiJsonContext : JsonSerializerContext;

/// <summary>Timestamps as ISO 8601 in UTC with a Z (2026-11-22T10:00:00.1234567Z), whatever offset they carry.</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(System.Text.Json.Utf8JsonWriter writer, DateTimeOffset value, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime);
}
