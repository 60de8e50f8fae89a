using ProjectExports.Exports;

namespace ProjectExports.Http;

/// <summary>Request body of POST …/project-exports. Every field is optional; unknown fields are refused.</summary>
public sealed record CreateExportRequest
{
    // Settable, not init: the source generator sets init-only properties in one object initializer,
    // which would reset a missing field to false instead of keeping its default.
    public bool IncludeIdentityOverrides { get; set; }
    public bool IncludeTags { get; set; } = true;

    /// <summary>A name of <see cref="ExportFormats"/>; read as text so an unknown one is answered with the names there are.</summary>
    public string Format { get; set; } = ExportFormat.Json.Name();

    /// <summary>Environment names: only these are exported. Null (or absent) exports every environment.</summary>
    public List<string>? Environments { get; set; }

    /// <summary>Feature names, exported together with the features carrying any of <see cref="Tags"/>.</summary>
    public List<string>? Features { get; set; }

    /// <summary>Tag labels: the features carrying any of them are exported.</summary>
    public List<string>? Tags { get; set; }
}
