using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProjectExports.Http;
using ProjectExports.Imports.Review;
using ProjectExports.Projects;

namespace ProjectExports.Tests.Imports;

/// <summary>
/// A plan's review recorded entry by entry, compressed as it goes (<see cref="ImportReviewWriter"/>): stored, it is
/// byte for byte the review the serializer writes of every entry in review order; answered to a validation, its first entries.
/// </summary>
public sealed class ImportReviewWriterTests
{
    private const string PlanId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// <summary>Actions interleaved as a planner records them, one update with field changes, names outside ASCII.</summary>
    private static List<ImportPlanEntry> Entries(int count) =>
    [
        .. Enumerable.Range(0, count).Select(i => (i % 5) switch
        {
            0 => ImportPlanEntry.Of(new ProjectEntityRef("feature", $"feature-{i}"), ImportPlanAction.Create),
            1 => ImportPlanEntry.Of(new ProjectEntityRef("identity_override", $"feature-{i}", "Prod", Identifier: $"usér-{i}"), ImportPlanAction.Unchanged),
            2 => ImportPlanEntry.Of(new ProjectEntityRef("segment_override", $"feature-{i}", "Prod", $"beta-{i}"), ImportPlanAction.Delete),
            3 => ImportPlanEntry.Of(new ProjectEntityRef("segment", $"seg-{i}"), ImportPlanAction.Update,
                [new ImportFieldChange("/rules/0", JsonValue.Create("a <b>"), JsonValue.Create(i))]),
            _ => ImportPlanEntry.Of(new ProjectEntityRef("tag", $"tag-{i}"), ImportPlanAction.Skip),
        }),
    ];

    private static string Decompressed(BinaryData stored)
    {
        using var reader = new StreamReader(new GZipStream(stored.ToStream(), CompressionMode.Decompress));
        return reader.ReadToEnd();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1_000)]
    public void The_stored_review_is_the_serializers_of_every_entry_in_review_order(int count)
    {
        var entries = Entries(count);
        using var writer = new ImportReviewWriter(keepAll: true);
        entries.ForEach(writer.Add);

        var stored = Decompressed(writer.Complete(PlanId));

        var expected = JsonSerializer.Serialize(new ImportPlanReview(PlanId, count, false, [.. ImportPlanReview.Ordered(entries)]), ApiJsonContext.Wire.ImportPlanReview);
        Assert.Equal(expected, stored);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_validation_is_answered_with_the_first_entries_in_review_order_and_the_total(bool keepAll)
    {
        var entries = Entries(2_000);
        using var writer = new ImportReviewWriter(keepAll);
        entries.ForEach(writer.Add);

        var capped = writer.Capped(PlanId);

        Assert.Equal((2_000, true), (capped.Total, capped.Truncated));
        Assert.Equal(ImportPlanReview.Ordered(entries).Take(ImportPlanReview.MaxEntries).Select(e => (e.Type, e.Name, e.Action)),
            capped.Entries.Select(e => (e.Type, e.Name, e.Action)));
    }
}
