using System.Reflection;
using System.Text.Json;
using ProjectExports.Exports;
using ProjectExports.Imports;
using ProjectExports.Jobs;
using ProjectExports.Security;
using ProjectExports.Storage;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Deployment;

/// <summary>local.settings.sample.json (for <c>func start</c>) names every setting the app's options read.</summary>
public sealed class SettingsSampleTests
{
    private static IEnumerable<string> Settings(string prefix, Type options) =>
        options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).SelectMany(p =>
            p.PropertyType.IsClass && p.PropertyType != typeof(string)
                ? Settings($"{prefix}__{p.Name}", p.PropertyType)
                : [$"{prefix}__{p.Name}"]);

    public static TheoryData<string> AppSettings => [..
        Settings(ExportOptions.SectionName, typeof(ExportOptions))
        .Concat(Settings(ImportOptions.SectionName, typeof(ImportOptions)))
        .Concat(Settings(JobOptions.SectionName, typeof(JobOptions)))
        .Concat(Settings(AuthOptions.SectionName, typeof(AuthOptions)))
        .Concat(Settings(StorageOptions.SectionName, typeof(StorageOptions)))];

    [Theory]
    [MemberData(nameof(AppSettings))]
    public void The_sample_names_the_setting(string setting)
    {
        var values = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "local.settings.sample.json"))).RootElement.GetProperty("Values");
        Assert.True(values.TryGetProperty(setting, out _), $"local.settings.sample.json lacks {setting}.");
    }
}
