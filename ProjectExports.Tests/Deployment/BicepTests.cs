using System.Text.Json;
using ProjectExports.Jobs;
using ProjectExports.Storage;

namespace ProjectExports.Tests.Deployment;

/// <summary>
/// The infrastructure compiles and lints cleanly with the pinned Bicep CLI (rules and their levels in
/// infra/bicepconfig.json), and it creates every storage resource and sets every setting the app reads.
/// </summary>
public sealed class BicepTests
{
    private static IEnumerable<string> BicepFiles =>
        Directory.EnumerateFiles(BicepCli.InfraRoot, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    [Fact]
    public async Task Every_bicep_file_lints_without_errors_or_warnings()
    {
        Assert.Contains(Path.Combine(BicepCli.InfraRoot, "main.bicep"), BicepFiles);
        var result = await BicepCli.RunAsync("lint", "--pattern", "**/*.bicep");
        Assert.True(result.ExitCode == 0 && result.Diagnostics.Count == 0,
            $"bicep lint exited with {result.ExitCode}:\n{result.Output}");
    }

    [Fact]
    public async Task Every_bicep_file_builds_to_an_arm_template()
    {
        var outDir = Directory.CreateTempSubdirectory("bicep-build-").FullName;
        try
        {
            var result = await BicepCli.RunAsync("build", "--pattern", "**/*.bicep", "--outdir", outDir);
            Assert.True(result.ExitCode == 0 && result.Diagnostics.Count == 0,
                $"bicep build exited with {result.ExitCode}:\n{result.Output}");
            var built = Directory.EnumerateFiles(outDir, "*.json", SearchOption.AllDirectories).Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
            Assert.Equal(BicepFiles.Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal), built);
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    [Fact]
    public async Task The_cli_reports_a_warning_as_a_diagnostic()
    {
        // Guards the two tests above: if the CLI's output format changed, they would pass on anything.
        var file = Path.Combine(Path.GetTempPath(), $"unused-{Guid.NewGuid():N}.bicep");
        await File.WriteAllTextAsync(file, "param unused string\n");
        try
        {
            var result = await BicepCli.RunAsync("lint", file);
            Assert.Contains(result.Diagnostics, d => d.Contains("no-unused-params", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Every table, queue and container of StorageNames, with the list of storage.bicep that must create it.</summary>
    public static TheoryData<string, string> StorageResourceNames()
    {
        var data = new TheoryData<string, string>();
        foreach (var (suffix, list) in new[] { ("Table", "tableNames"), ("Queue", "queueNames"), ("Container", "appContainerNames") })
        {
            foreach (var name in StorageNamesEndingIn(suffix))
            {
                data.Add(list, name);
            }
        }
        return data;
    }

    /// <summary>The values of StorageNames' constants whose names end in <paramref name="suffix"/> (Table, Queue, Container).</summary>
    public static IEnumerable<string> StorageNamesEndingIn(string suffix) => typeof(StorageNames).GetFields()
        .Where(f => f is { IsLiteral: true, IsPublic: true } && f.FieldType == typeof(string) && f.Name.EndsWith(suffix, StringComparison.Ordinal))
        .Select(f => (string)f.GetRawConstantValue()!);

    [Fact]
    public void Every_storage_name_is_a_table_a_queue_or_a_container()
    {
        // Guards the theory below: a constant of another kind would escape it.
        var names = typeof(StorageNames).GetFields().Where(f => f is { IsLiteral: true, IsPublic: true } && f.Name != nameof(StorageNames.ConnectionSetting));
        Assert.All(names, f => Assert.Matches("(Table|Queue|Container)$", f.Name));
    }

    [Theory]
    [MemberData(nameof(StorageResourceNames))]
    public void The_storage_module_creates_every_table_queue_and_container_the_app_uses(string list, string name)
    {
        var module = File.ReadAllText(Path.Combine(BicepCli.InfraRoot, "app", "storage.bicep"));
        var listed = System.Text.RegularExpressions.Regex.Match(module, $@"(?s)\bvar {list} = \[(.*?)\]");
        Assert.True(listed.Success, $"storage.bicep has no list {list}.");
        Assert.Contains($"'{name}'", listed.Groups[1].Value, StringComparison.Ordinal);
    }

    /// <summary>local.settings.sample.json lists every setting the app reads; Azure gets each, in its identity-based form.</summary>
    public static TheoryData<string> AppSettings()
    {
        var sampleSettings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Infrastructure.RepositoryPaths.Root, "local.settings.sample.json")))
            .RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name)
            // Flex Consumption takes the worker runtime from functionAppConfig.runtime, and the connection
            // string form of AzureWebJobsStorage is replaced by the identity-based settings.
            .Where(n => n is not ("FUNCTIONS_WORKER_RUNTIME" or StorageNames.ConnectionSetting));
        string[] identitySettings = ["AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId",
            "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING"];
        return new TheoryData<string>(sampleSettings.Concat(identitySettings).Append(CleanupSchedule.Setting).Distinct());
    }

    [Theory]
    [MemberData(nameof(AppSettings))]
    public void The_function_app_gets_every_setting_the_app_reads(string setting)
    {
        var settingsSources = File.ReadAllText(Path.Combine(BicepCli.InfraRoot, "main.bicep"))
            + File.ReadAllText(Path.Combine(BicepCli.InfraRoot, "app", "function.bicep"));
        Assert.Matches($@"(?m)^\s*{System.Text.RegularExpressions.Regex.Escape(setting)}:", settingsSources);
    }
}
