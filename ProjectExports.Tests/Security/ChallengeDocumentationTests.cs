using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ProjectExports.Tests.Infrastructure;

namespace ProjectExports.Tests.Security;

/// <summary>
/// The 401 answers are what the documentation says they are: each row of the table of problem codes and
/// <c>WWW-Authenticate</c> values (in the README, or a page under docs/ it moved to) against the LocalHost.
/// </summary>
public sealed partial class ChallengeDocumentationTests(LocalHostFixture host) : IClassFixture<LocalHostFixture>
{
    /// <summary>A request that earns each 401 code (null: no Authorization header).</summary>
    private static readonly Dictionary<string, string?> Causes = new()
    {
        ["authentication_required"] = null,
        ["invalid_authorization_header"] = "Bearer a b",
        ["invalid_token"] = "Bearer not-a-jwt",
        ["invalid_api_key"] = "Api-Key pe_abcd_short",
    };

    [Fact]
    public async Task Every_documented_401_sends_the_documented_challenge()
    {
        var documented = DocumentedChallenges();
        Assert.Equal(Causes.Keys.Order(), documented.Keys.Order());
        var project = await host.SeedProjectAsync();

        foreach (var (code, challenge) in documented)
        {
            using var client = host.CreateClient(Causes[code]);
            using var response = await client.GetAsync($"/api/projects/{project.Project.Id}/project-exports");

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
            Assert.Equal(challenge, string.Join(", ", response.Headers.GetValues("WWW-Authenticate")));
        }
    }

    /// <summary>Rows "| `code` … | `challenge` |" of the table headed "| 401 problem `code` | `WWW-Authenticate` |".</summary>
    private static Dictionary<string, string> DocumentedChallenges()
    {
        var docs = Path.Combine(RepositoryPaths.Root, "docs");
        var pages = new[] { Path.Combine(RepositoryPaths.Root, "README.md") }
            .Concat(Directory.Exists(docs) ? Directory.EnumerateFiles(docs, "*.md", SearchOption.AllDirectories) : []);
        foreach (var page in pages)
        {
            var lines = File.ReadAllLines(page);
            var start = Array.FindIndex(lines, l => l.StartsWith("| 401 problem `code` | `WWW-Authenticate` |", StringComparison.Ordinal));
            if (start < 0) continue;
            return lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|'))
                .Select(l => Row().Match(l))
                .ToDictionary(m => m.Groups["code"].Value, m => m.Groups["challenge"].Value);
        }
        throw new InvalidOperationException("No page documents the 401 challenges.");
    }

    [GeneratedRegex(@"^\| `(?<code>[a-z_]+)`[^|]*\| `(?<challenge>[^`]+)` \|$")]
    private static partial Regex Row();
}
