namespace ProjectExports.Imports;

/// <summary>
/// An uploaded import document: its bytes, whether they are YAML, the strategy a form field gave, and whether the
/// format was told from the content because nothing declared it.
/// </summary>
public sealed record ImportUpload(byte[] Bytes, bool IsYaml, string? FormStrategy, bool FormatFromContent = false);
