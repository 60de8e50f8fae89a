using System.Text.RegularExpressions;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Deployment;

/// <summary>Every relative link in the README and docs/ names a file of this repository: a clone has nothing beside it.</summary>
public sealed partial class DocumentationLinksTests
{
    [GeneratedRegex(@"\]\((?<target>[^)#\s]+)(#[^)]*)?\)")]
    private static partial Regex Link();

    public static TheoryData<string> Pages => [.. new[] { "README.md", Path.Combine("infra", "README.md") }
        .Concat(Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "docs"), "*.md").Select(p => Path.GetRelativePath(RepositoryPaths.Root, p)))];

    [Theory]
    [MemberData(nameof(Pages))]
    public void Relative_links_stay_inside_the_repository_and_exist(string page)
    {
        var folder = Path.GetDirectoryName(Path.Combine(RepositoryPaths.Root, page))!;
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, page));
        Assert.DoesNotContain("../shared", text, StringComparison.Ordinal);
        foreach (var target in Link().Matches(text).Select(m => m.Groups["target"].Value).Where(t => !t.Contains("://", StringComparison.Ordinal)))
        {
            var resolved = Path.GetFullPath(Path.Combine(folder, target));
            Assert.True(resolved.StartsWith(RepositoryPaths.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal), $"{page} links outside the repository: {target}");
            Assert.True(File.Exists(resolved) || Directory.Exists(resolved), $"{page} links to a missing file: {target}");
        }
    }
}
