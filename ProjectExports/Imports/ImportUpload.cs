namespace ProjectExports.Imports;

/// <summary>
/// An uploaded import document: its bytes, whether they are YAML, the strategy a form field gave, and whether the
/// format was told from the content because nothing declared it.
/// </summary>
public sealed record ImportUpload(byte[] Bytes, bool IsYaml, string? FormStrategy, bool FormatFromContent = false)
{
    /// <summary>The bytes as sent, until <see cref="ImportDocumentReader"/> has kept them compressed (<see cref="ReleaseBytes"/>).</summary>
    public byte[] Bytes { get; private set; } = Bytes;

    /// <summary>How many bytes were sent; still known once they are released.</summary>
    public long Size { get; } = Bytes.LongLength;

    /// <summary>The form field <c>environment_map</c> as sent (JSON text), read by <see cref="ImportEnvironmentOptions"/>.</summary>
    public string? FormEnvironmentMap { get; init; }

    /// <summary>The form fields <c>environments</c>, in order; null when there were none.</summary>
    public IReadOnlyList<string>? FormEnvironments { get; init; }

    /// <summary>The form field <c>plan_id</c> as sent (trimmed): the plan the caller reviewed, as the query's <c>plan_id</c>.</summary>
    public string? FormPlanId { get; init; }

    /// <summary>
    /// Lets go of the bytes: whoever still holds the upload (the request's handler does, until it answers) then no
    /// longer holds a large document's bytes as sent while its models are read and planned.
    /// </summary>
    public void ReleaseBytes() => Bytes = [];
}
