namespace ProjectExports.Http;

/// <summary>Request body of POST …/project-exports. Every field is optional; unknown fields are refused.</summary>
public sealed record CreateExportRequest
{
    // Settable, not init: the source generator sets init-only properties in one object initializer,
    // which would reset a missing field to false instead of keeping its default.
    public bool IncludeIdentityOverrides { get; set; }
    public bool IncludeTags { get; set; } = true;
}
