using System.Globalization;
using System.Text.Json;
using ProjectExports.Imports;

namespace ProjectExports.Exports.Flagd;

/// <summary>
/// The fidelity items an export record keeps: at most <see cref="MaxItems"/>, each cut to <see cref="MaxTextLength"/>
/// characters, so the record's row stays well inside Table Storage's 64 KiB per property whatever the project holds.
/// </summary>
public static class FidelityReport
{
    public const int MaxItems = 50;
    public const int MaxTextLength = 300;

    public static IReadOnlyList<FidelityItem> ForRecord(IReadOnlyList<FidelityItem> items)
    {
        var kept = items.Take(items.Count > MaxItems ? MaxItems - 1 : MaxItems)
            .Select(i => new FidelityItem(Echo.Cut(i.Path, MaxTextLength), Echo.Cut(i.Reason, MaxTextLength))).ToList();
        if (items.Count > MaxItems)
        {
            kept.Add(new FidelityItem("", $"{items.Count - kept.Count} more; the file's metadata lists all {items.Count}."));
        }
        return kept;
    }

    /// <summary>
    /// The report a stored flagd file carries in its <c>metadata</c> (<c>fidelity.count</c>, <c>fidelity.{i}.path</c>,
    /// <c>fidelity.{i}.reason</c>): what a delivery reports when an earlier one committed the file.
    /// </summary>
    public static async Task<IReadOnlyList<FidelityItem>> ReadFromFileAsync(Stream flagdFile, CancellationToken cancellationToken)
    {
        using var file = await JsonDocument.ParseAsync(flagdFile, cancellationToken: cancellationToken).ConfigureAwait(false);
        var metadata = file.RootElement.GetProperty("metadata");
        var count = metadata.GetProperty("fidelity.count").GetInt32();
        return Enumerable.Range(0, count)
            .Select(i => i.ToString(CultureInfo.InvariantCulture))
            .Select(i => new FidelityItem(metadata.GetProperty($"fidelity.{i}.path").GetString()!, metadata.GetProperty($"fidelity.{i}.reason").GetString()!))
            .ToList();
    }
}
