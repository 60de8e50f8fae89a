using System.IO.Compression;
using System.Text.Json;
using ProjectExports.Http;

namespace ProjectExports.Imports.Review;

/// <summary>
/// A plan's review as the planner records it, one entry per entity. Each entry is written at once, gzip-compressed,
/// into its action's part, so a large plan's tens of thousands of entries (5.5 MB for L) are not held; only the first
/// of each action are kept, for the validation's answer (<see cref="Capped"/>). The full review (<see cref="Complete"/>)
/// is the parts joined in review order, each a gzip member of its own: concatenated, they decompress as one JSON document.
/// </summary>
public sealed class ImportReviewWriter(bool keepAll) : IDisposable
{
    private readonly Part?[] _parts = new Part?[ImportPlanAction.Ranks];
    private readonly List<ImportPlanEntry>[] _first = [.. Enumerable.Range(0, ImportPlanAction.Ranks).Select(_ => new List<ImportPlanEntry>())];

    /// <summary>How many entries were recorded.</summary>
    public int Count { get; private set; }

    public void Add(ImportPlanEntry entry)
    {
        var rank = ImportPlanAction.Rank(entry.Action);
        Count++;
        if (_first[rank].Count < ImportPlanReview.MaxEntries) _first[rank].Add(entry);
        if (keepAll) (_parts[rank] ??= new Part()).Write(entry);
    }

    /// <summary>The review a validation answers with: the first entries in review order, each with its first changes.</summary>
    public ImportPlanReview Capped(string planId) => ImportPlanReview.Capped(planId, _first.SelectMany(entries => entries), Count);

    /// <summary>Every entry in review order, as the import's review blob holds it (gzip): what GET …/plan downloads.</summary>
    public BinaryData Complete(string planId)
    {
        if (!keepAll) throw new InvalidOperationException("This review keeps only its first entries: make it with keepAll to store it.");
        // The review's own JSON with no entries, cut where they go: the same names and order as the serializer's.
        var empty = JsonSerializer.SerializeToUtf8Bytes(new ImportPlanReview(planId, Count, false, []), ApiJsonContext.Wire.ImportPlanReview);
        if (!empty.AsSpan().EndsWith("[]}"u8)) throw new InvalidOperationException("A review's entries must be its last property.");
        using var joined = new MemoryStream();
        Member(joined, empty.AsSpan(0, empty.Length - 2));
        var first = true;
        foreach (var part in _parts.OfType<Part>())
        {
            if (!first) Member(joined, ","u8);
            part.CopyTo(joined);
            first = false;
        }
        Member(joined, "]}"u8);
        return new BinaryData(joined.GetBuffer().AsMemory(0, (int)joined.Length));
    }

    public void Dispose()
    {
        foreach (var part in _parts) part?.Dispose();
    }

    private static void Member(Stream joined, ReadOnlySpan<byte> bytes)
    {
        using var gzip = new GZipStream(joined, CompressionLevel.Fastest, leaveOpen: true);
        gzip.Write(bytes);
    }

    /// <summary>One action's entries, comma-separated JSON, compressed as they come.</summary>
    private sealed class Part : IDisposable
    {
        private readonly MemoryStream _compressed = new();
        private readonly GZipStream _gzip;
        private readonly Utf8JsonWriter _json;
        private bool _empty = true;

        public Part()
        {
            _gzip = new GZipStream(_compressed, CompressionLevel.Fastest, leaveOpen: true);
            _json = new Utf8JsonWriter(_gzip, new JsonWriterOptions { Encoder = ApiJsonContext.Wire.Options.Encoder });
        }

        public void Write(ImportPlanEntry entry)
        {
            if (!_empty) _gzip.WriteByte((byte)',');
            _empty = false;
            _json.Reset();
            JsonSerializer.Serialize(_json, entry, ApiJsonContext.Wire.ImportPlanEntry);
            _json.Flush();
        }

        /// <summary>Ends the part's member and appends it.</summary>
        public void CopyTo(Stream joined)
        {
            _json.Dispose();
            _gzip.Dispose();
            _compressed.Position = 0;
            _compressed.CopyTo(joined);
        }

        public void Dispose()
        {
            _json.Dispose();
            _gzip.Dispose();
        }
    }
}
