using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProjectExports.Imports;
using ProjectExports.Imports.Review;
using ProjectExports.Projects;

namespace ProjectExports.Tests.Imports;

/// <summary>
/// A large document is never held whole twice: its bytes as sent are let go once compressed, each environment's
/// sections are kept compressed apart and read only while that environment is checked or planned, repeated strings
/// are read as one, and each environment's models are let go once its rows are planned.
/// </summary>
public sealed class ImportDocumentReaderTests
{
    /// <summary>The valid document with a second environment, a copy of the first under another name.</summary>
    private static byte[] TwoEnvironments()
    {
        var document = JsonNode.Parse(ImportDocuments.Valid)!.AsObject();
        var environments = document["environments"]!.AsArray();
        var second = environments[0]!.DeepClone();
        second["name"] = "Staging";
        environments.Add(second);
        return Encoding.UTF8.GetBytes(document.ToJsonString());
    }

    [Fact]
    public void A_valid_documents_bytes_are_released_before_its_models_are_read_from_its_compressed_copy()
    {
        var bytes = TwoEnvironments();
        var upload = new ImportUpload(bytes, IsYaml: false, FormStrategy: null);
        int? heldWhenReleased = null;

        var check = ImportDocumentReader.Read(upload, () => heldWhenReleased = upload.Bytes.Length);

        Assert.True(check.IsValid);
        Assert.Equal(0, heldWhenReleased);
        Assert.Equal((0, (long)bytes.Length), (upload.Bytes.Length, upload.Size));
        using var decompressed = new MemoryStream();
        new GZipStream(check.CompressedJson!.ToStream(), CompressionMode.Decompress).CopyTo(decompressed);
        Assert.Equal(bytes, decompressed.ToArray());
        Assert.Equal(["Production", "Staging"], check.Document!.Environments.Select(e => e.Settings.Name));
    }

    [Fact]
    public void An_environments_sections_are_held_only_while_read_and_read_back_as_the_document_has_them()
    {
        var bytes = TwoEnvironments();
        var whole = JsonSerializer.Deserialize(bytes, ImportContract.Document)!;
        var environment = ImportDocumentReader.Read(new ImportUpload(bytes, IsYaml: false, FormStrategy: null)).Document!.Environments[1];

        Assert.Equal((0, 0, 0), (environment.FeatureStates.Count, environment.FeatureSegments.Count, environment.IdentityOverrides!.Count));
        using (environment.ReadSections())
        {
            Assert.Equal(Json(whole.Environments[1].FeatureStates), Json(environment.FeatureStates));
            Assert.Equal(Json(whole.Environments[1].FeatureSegments), Json(environment.FeatureSegments));
            Assert.Equal(Json(whole.Environments[1].IdentityOverrides), Json(environment.IdentityOverrides));
        }
        Assert.Equal((0, 0, 0), (environment.FeatureStates.Count, environment.FeatureSegments.Count, environment.IdentityOverrides.Count));
    }

    [Fact]
    public void An_environment_without_identity_overrides_still_has_none_when_its_sections_are_read()
    {
        var document = JsonNode.Parse(TwoEnvironments())!.AsObject();
        document["environments"]![1]!.AsObject().Remove("identity_overrides");
        var read = ImportDocumentReader.Read(new ImportUpload(Encoding.UTF8.GetBytes(document.ToJsonString()), IsYaml: false, FormStrategy: null)).Document!;

        Assert.Equal(["Production"], ImportTargetScope.Of(read).IdentityOverrideEnvironments);
        using (read.Environments[1].ReadSections()) Assert.Null(read.Environments[1].IdentityOverrides);
        Assert.Null(read.Environments[1].IdentityOverrides);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, ProjectExports.Projects.ProjectJsonContext.Default.Options);

    [Fact]
    public void An_invalid_documents_bytes_are_kept_and_nothing_is_read()
    {
        var upload = new ImportUpload("{\"version\": 1}"u8.ToArray(), IsYaml: false, FormStrategy: null);
        var released = false;

        var check = ImportDocumentReader.Read(upload, () => released = true);

        Assert.False(check.IsValid);
        Assert.False(released);
        Assert.Null(check.CompressedJson);
    }

    [Fact]
    public void A_string_repeated_in_a_document_is_read_as_one_string_and_only_while_a_document_is_read()
    {
        var document = ImportDocumentReader.Read(new ImportUpload(TwoEnvironments(), IsYaml: false, FormStrategy: null)).Document!;

        var production = document.Environments[0];
        using (production.ReadSections())
        {
            // An environment's sections are read together: a name in its states and its overrides is one string.
            Assert.Same(production.FeatureStates[1].Feature, production.IdentityOverrides![0].FeatureState.Feature);
            Assert.Same(production.FeatureStates[0].Feature, production.FeatureSegments[0].Feature);
        }
        Assert.Same(document.Tags![0].Label, document.Features[0].Tags[0]);
        // Outside a read, strings are read as usual: no table of a document's strings outlives its read.
        var again = JsonSerializer.Deserialize(TwoEnvironments(), ImportContract.Document)!;
        Assert.NotSame(again.Features[1].Name, again.Environments[0].FeatureStates[1].Feature);
    }

    [Fact]
    public async Task Each_environments_data_is_read_when_it_is_planned_handed_on_then_let_go_in_the_plan_and_the_document()
    {
        var document = ImportDocumentReader.Read(new ImportUpload(TwoEnvironments(), IsYaml: false, FormStrategy: null)).Document!;
        var target = new ImportTarget(new ProjectDefinitions(new Project { Id = "p1", Name = "p1" }, [], [], [], []), [],
            (_, _) => throw new InvalidOperationException("The project has no environment the document names."));
        var handedOn = new List<(int States, int Segments, int Identities, int StagingStatesHeld)>();
        using var review = new ImportReviewWriter(keepAll: false);

        var plan = await ImportPlanner.PlanAsync(document, target, ImportStrategy.Skip, DateTimeOffset.UtcNow, review, (changes, _) =>
            handedOn.Add((changes.FeatureStates.Count, changes.FeatureSegments.Count, changes.IdentityOverrides.Count, document.Environments[1].FeatureStates.Count)),
            CancellationToken.None);

        // Staging's sections are not held while Production is planned, and are while Staging is.
        Assert.Equal([(2, 1, 1, 0), (2, 1, 1, 2)], handedOn);
        Assert.All(document.Environments, e => Assert.Equal((0, 0, 0), (e.FeatureStates.Count, e.FeatureSegments.Count, e.IdentityOverrides!.Count)));
        Assert.All(plan.Changes.Environments, e => Assert.Equal((0, 0, 0), (e.FeatureStates.Count, e.FeatureSegments.Count, e.IdentityOverrides.Count)));
        Assert.Equal(["Production", "Staging"], plan.Changes.Environments.Select(e => e.Settings!.Name));
        Assert.Equal(2 * 5 + 4, review.Count); // per environment: itself, two states, a segment override, an identity override; then a tag, a segment, two features
    }
}
