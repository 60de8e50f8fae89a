namespace ProjectExports.Exports;

/// <summary>
/// What an export is limited to, by name: environments, features, and the features carrying any of the tags (by
/// label). A null list limits nothing. Each name appears once, in export order, whatever order the caller sent.
/// </summary>
public sealed record SelectedNames
{
    public IReadOnlyList<string>? Environments { get; init; }
    public IReadOnlyList<string>? Features { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
}
