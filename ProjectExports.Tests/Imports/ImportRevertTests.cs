using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ProjectExports.Imports;
using ProjectExports.Projects;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Imports;

/// <summary>
/// Undo and verification over HTTP: an import snapshots what it changes, reads back what it wrote, and
/// POST …/{importId}/revert puts the project back exactly (compared through full exports) unless something changed since.
/// </summary>
public sealed class ImportRevertTests(ImportRevertFixture host) : IClassFixture<ImportRevertFixture>
{
    private Task<HttpResponseMessage> PostRevertAsync(string projectId, string importId, string query = "") =>
        host.Http.PostAsync($"/api/projects/{projectId}/project-imports/{importId}/revert{query}", null);

    private async Task<JsonElement> RevertAndWaitAsync(string projectId, string importId, string query = "")
    {
        using var response = await PostRevertAsync(projectId, importId, query);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal($"/api/projects/{projectId}/project-imports/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(importId, created.GetProperty("reverts").GetString());
        return await host.WaitForImportAsync(projectId, id);
    }

    private async Task<string> ExportAsync(string projectId) => ImportClient.WithoutExportedAt(await host.ExportDocumentAsync(projectId));

    private static string Id(JsonElement record) => record.GetProperty("id").GetString()!;

    private static void AssertStatus(string expected, JsonElement record) => Assert.True(expected == record.GetProperty("status").GetString(), record.GetRawText());

    private async Task<List<string>> AuditAsync(string projectId) =>
        (await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}/audit-log?limit=100"))
            .GetProperty("results").EnumerateArray().Select(e => e.GetProperty("log").GetString()!).ToList();

    private static IEnumerable<(string Type, string Name)> Entities(JsonElement list) =>
        list.GetProperty("entities").EnumerateArray().Select(e => (e.GetProperty("type").GetString()!, e.GetProperty("name").GetString()!));

    [Fact]
    public async Task A_revert_of_a_create_only_import_removes_what_it_created_and_is_recorded_and_audited()
    {
        var project = (await host.SeedProjectAsync(seed: 70)).Project.Id;
        var before = await ExportAsync(project);
        var import = await host.ImportAndWaitAsync(project, ImportDocuments.Valid, "SKIP");
        AssertStatus("SUCCESS", import);
        Assert.NotEqual(before, await ExportAsync(project));

        var revert = await RevertAndWaitAsync(project, Id(import));

        AssertStatus("SUCCESS", revert);
        Assert.Equal(before, await ExportAsync(project));
        Assert.NotEqual(Id(import), Id(revert));
        Assert.Equal("SKIP", revert.GetProperty("strategy").GetString());
        Assert.Equal(JsonValueKind.Null, revert.GetProperty("result_summary").ValueKind);
        var summary = revert.GetProperty("revert_summary");
        Assert.Equal(2, summary.GetProperty("removed").GetProperty("feature").GetInt32());
        Assert.Empty(summary.GetProperty("restored").EnumerateObject());
        Assert.Equal(JsonValueKind.Null, revert.GetProperty("overwritten").ValueKind);
        Assert.Equal(JsonValueKind.Null, import.GetProperty("reverts").ValueKind);
        var audit = await AuditAsync(project);
        Assert.Contains($"Project import revert requested (import {Id(import)})", audit);
        Assert.Contains(audit, l => l.StartsWith($"Project import reverted (import {Id(import)}): ", StringComparison.Ordinal) && l.Contains("2 features removed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_revert_of_a_partial_mapped_import_restores_the_project_byte_for_byte()
    {
        var project = (await host.SeedProjectAsync(seed: 75)).Project.Id;
        var source = (await host.SeedProjectAsync(seed: 76)).Project.Id;
        var document = await host.ExportDocumentAsync(source);
        var before = await ExportAsync(project);
        // Only the document's Production, onto the project's Staging; with identity overrides, destructively.
        var map = Uri.EscapeDataString("""{"Production": "Staging"}""");
        using var response = await host.Http.PostAsync(
            $"/api/projects/{project}/project-imports?strategy=OVERWRITE_DESTRUCTIVE&environments=Production&environment_map={map}",
            new StringContent(document, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var import = await host.WaitForImportAsync(project, Id(await response.Content.ReadFromJsonAsync<JsonElement>()));
        AssertStatus("SUCCESS", import);
        Assert.True(ImportClient.Summary(import)["identity_overrides_deleted"] > 0, import.GetRawText());
        Assert.NotEqual(before, await ExportAsync(project));

        AssertStatus("SUCCESS", await RevertAndWaitAsync(project, Id(import)));

        Assert.Equal(before, await ExportAsync(project));
    }

    [Fact]
    public async Task An_import_stores_only_the_rows_there_before_it_and_loads_its_whole_snapshot_back_with_its_plan()
    {
        var project = (await host.SeedProjectAsync(seed: 77)).Project.Id;
        var document = await host.ExportDocumentAsync((await host.SeedProjectAsync(seed: 78)).Project.Id);
        var import = await host.ImportAndWaitAsync(project, document, "OVERWRITE_DESTRUCTIVE");
        AssertStatus("SUCCESS", import);

        await using var storedJson = (await ImportBlobs.OpenAsync(host.Storage.Blobs.GetBlobContainerClient(StorageNames.ImportContainer)
            .GetBlobClient(ImportBlobs.Snapshot(project, Id(import))), CancellationToken.None))!;
        var stored = await JsonSerializer.DeserializeAsync<JsonElement>(storedJson);
        Assert.True(stored.GetProperty("after_in_plan").GetBoolean());
        var rows = stored.GetProperty("rows").EnumerateArray().ToList();
        // Only rows that were there before the import, and none as written.
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("after").ValueKind));
        Assert.All(rows, r => Assert.Equal(JsonValueKind.Object, r.GetProperty("before").ValueKind));

        var snapshot = (await host.Services.GetRequiredService<ImportSnapshotStore>().LoadAsync(project, Id(import), CancellationToken.None))!;
        var now = await host.Services.GetRequiredService<ProjectStore>().ReadRowsAsync(snapshot.Keys, CancellationToken.None);
        Assert.All(snapshot.Rows, r => Assert.Equal(now.GetValueOrDefault(r.Key), r.After));
        Assert.Contains(snapshot.Rows, r => r.Before is null && r.After is not null);
        var befores = snapshot.Rows.Where(r => r.Before is not null).ToDictionary(r => $"{r.Partition}/{r.Row}", r => System.Text.Encoding.UTF8.GetString(r.Before!));
        Assert.Equal(befores.Count, rows.Count);
        Assert.All(rows, r => Assert.Equal(JsonSerializer.Serialize(r.GetProperty("before")),
            JsonSerializer.Serialize(JsonSerializer.Deserialize<JsonElement>(befores[$"{r.GetProperty("partition").GetString()}/{r.GetProperty("row").GetString()}"]))));
    }

    [Fact]
    public async Task A_revert_of_an_overwrite_destructive_import_restores_the_project_byte_for_byte()
    {
        var project = (await host.SeedProjectAsync(seed: 71)).Project.Id;
        var source = (await host.SeedProjectAsync(seed: 72)).Project.Id; // the same names, other values
        var document = await host.ExportDocumentAsync(source);
        var before = await ExportAsync(project);
        var import = await host.ImportAndWaitAsync(project, document, "OVERWRITE_DESTRUCTIVE");
        AssertStatus("SUCCESS", import);
        Assert.NotEqual(before, await ExportAsync(project));

        var revert = await RevertAndWaitAsync(project, Id(import));

        AssertStatus("SUCCESS", revert);
        Assert.Equal("OVERWRITE_DESTRUCTIVE", revert.GetProperty("strategy").GetString());
        Assert.NotEmpty(revert.GetProperty("revert_summary").GetProperty("restored").EnumerateObject());
        Assert.Equal(before, await ExportAsync(project));
    }

    [Fact]
    public async Task A_revert_over_later_changes_is_refused_naming_them_and_forced_reports_what_it_overwrote()
    {
        var project = (await host.SeedProjectAsync(seed: 73)).Project.Id;
        var before = await ExportAsync(project);
        var import = await host.ImportAndWaitAsync(project, ImportDocuments.Valid, "SKIP");
        AssertStatus("SUCCESS", import);
        // A later import changes one feature the first one created (and no environment).
        var document = ImportDocuments.Parse();
        document["features"]![1]!["description"] = "changed later";
        document["environments"] = new System.Text.Json.Nodes.JsonArray();
        var later = await host.ImportAndWaitAsync(project, document.ToJsonString(), "OVERWRITE_DESTRUCTIVE");
        AssertStatus("SUCCESS", later);
        var changed = await ExportAsync(project);

        var problem = await Problem.ReadAsync(await PostRevertAsync(project, Id(import)), HttpStatusCode.Conflict, "revert_conflict");

        var conflicts = problem.GetProperty("conflicts").EnumerateArray().Select(e => (e.GetProperty("type").GetString(), e.GetProperty("name").GetString())).ToList();
        Assert.Contains(("feature", "search"), conflicts);
        Assert.DoesNotContain(("feature", "checkout"), conflicts);
        Assert.Equal(conflicts.Count, problem.GetProperty("conflicts_total").GetInt32());
        Assert.Equal(changed, await ExportAsync(project));
        Assert.Equal(2, (await host.Http.GetFromJsonAsync<JsonElement>($"/api/projects/{project}/project-imports")).GetProperty("results").GetArrayLength());

        var forced = await RevertAndWaitAsync(project, Id(import), "?force=true");

        AssertStatus("SUCCESS", forced);
        Assert.Contains(("feature", "search"), Entities(forced.GetProperty("overwritten")));
        Assert.Equal(before, await ExportAsync(project));
        Assert.Contains($"Project import revert requested (import {Id(import)}, forced)", await AuditAsync(project));
    }

    [Fact]
    public async Task A_revert_can_be_reverted()
    {
        var project = (await host.SeedProjectAsync(seed: 74)).Project.Id;
        var before = await ExportAsync(project);
        var import = await host.ImportAndWaitAsync(project, ImportDocuments.Valid, "OVERWRITE_DESTRUCTIVE");
        var imported = await ExportAsync(project);

        var revert = await RevertAndWaitAsync(project, Id(import));
        AssertStatus("SUCCESS", revert);
        Assert.Equal(before, await ExportAsync(project));

        var again = await RevertAndWaitAsync(project, Id(revert));
        AssertStatus("SUCCESS", again);
        Assert.Equal(imported, await ExportAsync(project));
    }

    [Fact]
    public async Task A_revert_that_crashed_between_two_writes_completes_on_redelivery()
    {
        var project = (await host.SeedProjectAsync(seed: 75)).Project.Id;
        var before = await ExportAsync(project);
        var import = await host.ImportAndWaitAsync(project, ImportDocuments.Valid, "SKIP");
        var crashes = host.Hook.Crashes;
        host.Hook.CrashOnceAfter(project, writes: 1);

        var revert = await RevertAndWaitAsync(project, Id(import));

        Assert.Equal(crashes + 1, host.Hook.Crashes);
        AssertStatus("SUCCESS", revert);
        Assert.Equal(before, await ExportAsync(project));
        Assert.Single(await AuditAsync(project), l => l.StartsWith("Project import reverted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_import_whose_rows_read_back_differ_fails_as_incomplete_naming_them_and_can_still_be_reverted()
    {
        var project = await host.CreateEmptyProjectAsync();
        var before = await ExportAsync(project);
        // Another writer removes the tag right after the import's first write (the project's own rows).
        host.Hook.RaceAfterNextWrite(project, async table =>
        {
            var partition = new PagedPartition(table, project);
            var tags = (await partition.ReadAsync(null, default)).Keys.Where(k => k.StartsWith("tag:", StringComparison.Ordinal));
            await partition.WriteAsync(tags.ToDictionary(k => k, _ => (byte[]?)null), default);
        });

        var import = await host.ImportAndWaitAsync(project, ImportDocuments.Valid);

        AssertStatus("FAILED", import);
        Assert.Equal("import_incomplete", import.GetProperty("error").GetProperty("code").GetString());
        var differences = import.GetProperty("differences");
        Assert.Equal(1, differences.GetProperty("total").GetInt32());
        Assert.Equal([("tag", "core")], Entities(differences));
        Assert.True(await host.Storage.Blobs.GetBlobContainerClient(StorageNames.ImportContainer)
            .GetBlobClient(ImportBlobs.Snapshot(project, Id(import))).ExistsAsync());
        Assert.Contains(await AuditAsync(project), l => l.StartsWith("Project import failed: 1 entity read back differ", StringComparison.Ordinal));

        AssertStatus("SUCCESS", await RevertAndWaitAsync(project, Id(import)));
        Assert.Equal(before, await ExportAsync(project));
    }

    [Fact]
    public async Task A_revert_is_refused_for_an_unknown_unfinished_or_no_op_import_and_a_bad_force()
    {
        var project = await host.CreateEmptyProjectAsync();
        await Problem.ReadAsync(await PostRevertAsync(project, NewestFirstIds.New(host.Clock.GetUtcNow())), HttpStatusCode.NotFound, "import_not_found");
        await Problem.ReadAsync(await PostRevertAsync(project, "nope"), HttpStatusCode.BadRequest, "invalid_import_id");

        var hold = host.Hook.Hold(project);
        using (var created = await host.PostImportAsync(project, ImportDocuments.Valid))
        {
            var id = Id(await created.Content.ReadFromJsonAsync<JsonElement>());
            await Problem.ReadAsync(await PostRevertAsync(project, id), HttpStatusCode.Conflict, "import_not_finished");
            await Problem.ReadAsync(await PostRevertAsync(project, id, "?force=maybe"), HttpStatusCode.BadRequest, "invalid_force");
            hold.SetResult();
            AssertStatus("SUCCESS", await host.WaitForImportAsync(project, id));
        }

        var same = await host.ImportAndWaitAsync(project, ImportDocuments.Valid, "SKIP"); // changes no row
        AssertStatus("SUCCESS", same);
        await Problem.ReadAsync(await PostRevertAsync(project, Id(same)), HttpStatusCode.Conflict, "nothing_to_revert");
    }
}
