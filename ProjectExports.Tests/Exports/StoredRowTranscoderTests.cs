using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProjectExports.Exports;
using ProjectExports.Projects;

namespace ProjectExports.Tests.Exports;

/// <summary>
/// The export writes stored rows without building their models: what it writes must be, byte for byte, what the
/// export's serializer writes for the model, whatever text the rows hold; rows of another shape are serialized.
/// </summary>
public sealed class StoredRowTranscoderTests
{
    private static readonly Feature Checkout = new()
    {
        Id = "f-checkout", Name = "checkout ünï 😀", Type = "MULTIVARIATE",
        MultivariateOptions = [new() { Id = "o-a" }, new() { Id = "o-b" }, new() { Id = "o-c" }],
    };

    private static readonly Feature Banner = new() { Id = "f-banner", Name = "<banner> & \"quotes\"" };

    private static readonly Segment Beta = new() { Id = "s-beta", Name = "beta 'testers' +1" };

    private static readonly ExportReferences References = new(
        new ProjectDefinitions(new Project { Id = "p" }, [], [Beta], [Checkout, Banner], []), [Checkout, Banner], includeTags: true);

    private static readonly JsonSerializerOptions Options = ExportContract.CreateSerializerOptions(References);

    public static TheoryData<string> Texts() => new(HostileText.Values);

    private static FeatureState State(string feature, string? text, params string[] options) => new()
    {
        Id = "st-1", Feature = feature, Environment = "e-1", Enabled = text?.Length % 2 == 0,
        FeatureStateValue = new FeatureStateValue { Type = "unicode", StringValue = text, IntegerValue = text is null ? -42 : null, BooleanValue = text is null ? true : null },
        MultivariateFeatureStateValues = options.Select((id, i) => new MultivariateFeatureStateValue { Id = $"v-{i}", MultivariateFeatureOption = id, PercentageAllocation = 100.0 / 3 * (i + 1) }).ToList(),
        CreatedAt = DateTimeOffset.Parse("2026-01-02T03:04:05.678+01:00"), UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void A_feature_state_is_written_as_its_model_is_serialized(string text) =>
        AssertTranscodedLikeModel(State("f-checkout", text, "o-c", "o-gone", "o-a", "o-b"), ProjectJsonContext.Default.FeatureState, t => t.FeatureState);

    [Theory]
    [MemberData(nameof(Texts))]
    public void A_segment_override_is_written_as_its_model_is_serialized(string text) =>
        AssertTranscodedLikeModel(
            new FeatureSegment { Id = "so-1", Feature = "f-banner", Segment = "s-beta", Environment = "e-1", Priority = text.Length, FeatureState = State("f-banner", text) },
            ProjectJsonContext.Default.FeatureSegment, t => t.SegmentOverride);

    [Theory]
    [MemberData(nameof(Texts))]
    public void An_identity_override_is_written_as_its_model_is_serialized(string text) =>
        AssertTranscodedLikeModel(
            new IdentityOverride { Identifier = text, Environment = "e-1", FeatureState = State("f-checkout", null, "o-b", "o-a") },
            ProjectJsonContext.Default.IdentityOverride, t => t.IdentityOverride);

    [Theory]
    [InlineData("""{"id":"st-1","feature":"f-banner","enabled":true}""")] // a property missing (stored by an older model)
    [InlineData("""{"id":"st-1","feature":"f-banner","environment":"e-1","enabled":true,"feature_state_value":{"type":"unicode","string_value":null,"integer_value":null,"boolean_value":null},"multivariate_feature_state_values":[],"created_at":"2026-01-01T00:00:00+00:00","updated_at":"2026-01-01T00:00:00+00:00","later":1}""")]
    [InlineData("""{"feature":"f-banner","id":"st-1","environment":"e-1","enabled":true,"feature_state_value":{"type":"unicode","string_value":null,"integer_value":null,"boolean_value":null},"multivariate_feature_state_values":[],"created_at":"2026-01-01T00:00:00+00:00","updated_at":"2026-01-01T00:00:00+00:00"}""")]
    [InlineData("""{"id":"st-1","feature":"f-banner","environment":"e-1","enabled":"yes","feature_state_value":{"type":"unicode","string_value":null,"integer_value":null,"boolean_value":null},"multivariate_feature_state_values":[],"created_at":"2026-01-01T00:00:00+00:00","updated_at":"2026-01-01T00:00:00+00:00"}""")]
    public void A_row_not_of_its_models_shape_is_refused_and_its_model_is_written_instead(string stored)
    {
        var transcoder = new StoredRowTranscoder(References, Options);
        var json = Encoding.UTF8.GetBytes(stored);
        Assert.Equal("", Written(w => Assert.False(transcoder.TryWrite(w, transcoder.FeatureState, json))));

        if (JsonNode.Parse(stored)!["enabled"]!.GetValueKind() != JsonValueKind.String)
        {
            var model = JsonSerializer.Deserialize(json, ProjectJsonContext.Default.FeatureState)!;
            Assert.Equal(Written(w => JsonSerializer.Serialize(w, model, Options)),
                Written(w => transcoder.Write(w, StoredRows.FeatureState("state:f-banner", json))));
        }
        else
        {
            Assert.Throws<ProjectExports.Storage.StoredDataException>(() => Written(w => transcoder.Write(w, StoredRows.FeatureState("state:f-banner", json))));
        }
    }

    [Fact]
    public void Every_row_kind_is_transcoded() =>
        Assert.All(new[] { Transcoder().FeatureState, Transcoder().SegmentOverride, Transcoder().IdentityOverride }, Assert.NotNull);

    [Fact]
    public void The_fields_rows_are_ordered_by_are_read_from_their_json()
    {
        var segmentOverride = new FeatureSegment { Id = "so-1", Feature = "f-banner", Segment = "s-beta", Priority = 7, FeatureState = State("f-banner", "x") };
        var stored = StoredRows.SegmentOverride("segment-override:so-1", JsonSerializer.SerializeToUtf8Bytes(segmentOverride, ProjectJsonContext.Default.FeatureSegment));
        Assert.Equal(("f-banner", "s-beta", 7), (stored.Feature, stored.Segment, stored.Priority));

        var identityOverride = new IdentityOverride { Identifier = "ünï \"x\"", FeatureState = State("f-checkout", null) };
        var identity = StoredRows.IdentityOverride("key", JsonSerializer.SerializeToUtf8Bytes(identityOverride, ProjectJsonContext.Default.IdentityOverride));
        Assert.Equal(("ünï \"x\"", "f-checkout"), (identity.Identifier, identity.Feature));
    }

    [Fact]
    public void Fields_the_json_does_not_hold_plainly_are_read_from_the_decoded_model_which_reports_a_row_it_cannot_read()
    {
        var escaped = StoredRows.SegmentOverride("segment-override:so-1", Encoding.UTF8.GetBytes(
            """{"id":"so-1","fe\u0061ture":"f-banner","segment":"s-beta","environment":"e-1","priority":3,"feature_state":{}}"""));
        Assert.Equal(("f-banner", "s-beta", 3), (escaped.Feature, escaped.Segment, escaped.Priority));

        Assert.Throws<ProjectExports.Storage.StoredDataException>(() => StoredRows.SegmentOverride("segment-override:so-1", Encoding.UTF8.GetBytes(
            """{"id":"so-1","feature":"f-banner","segment":"s-beta","environment":"e-1","priority":"3","feature_state":{}}""")));
    }

    private static StoredRowTranscoder Transcoder() => new(References, Options);

    private static void AssertTranscodedLikeModel<T>(T model, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> stored, Func<StoredRowTranscoder, RowShape?> shape)
    {
        var transcoder = Transcoder();
        var json = JsonSerializer.SerializeToUtf8Bytes(model, stored);
        var expected = Written(w => JsonSerializer.Serialize(w, model, Options));

        // Twice: the transcoder's buffers are reused from one row to the next.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(expected, Written(w => Assert.True(transcoder.TryWrite(w, shape(transcoder), json))));
        }
    }

    /// <summary>What <paramref name="write"/> writes into an array of the export's writer, without the brackets.</summary>
    private static string Written(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Options.Encoder }))
        {
            writer.WriteStartArray();
            write(writer);
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan)[1..^1];
    }
}
