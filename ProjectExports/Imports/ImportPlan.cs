using System.Security.Cryptography;
using System.Text;
using ProjectExports.Projects;

namespace ProjectExports.Imports;

/// <summary>
/// Everything one import writes, computed once (on the first delivery) against the project as it was then and
/// stored, so every later delivery applies the same writes and reports the same summary.
/// </summary>
public sealed class ImportPlan
{
    public ProjectChanges Changes { get; set; } = new();
    public ImportSummary Summary { get; set; } = new();
    public List<ImportIssue> Warnings { get; set; } = [];
}

/// <summary>What the planner needs to know of the target project: its definitions and the matched environments' data.</summary>
public sealed record ImportTarget(
    ProjectDefinitions Definitions,
    IReadOnlyDictionary<string, EnvironmentStates> States,
    IReadOnlyDictionary<string, IReadOnlyList<IdentityOverride>> IdentityOverrides);

/// <summary>
/// Ids of new entities, derived from the project, the kind and the name: the same on every computation (so a retried
/// plan writes the same rows), and the same for two imports racing to create one entity (so they write one row, not two).
/// </summary>
internal sealed class ImportIdFactory(string projectId)
{
    public string New(string kind, string key) => "i" + Convert.ToHexStringLower(Hash(kind, key))[..24];

    public Guid Uuid(string kind, string key) => new(Hash("uuid:" + kind, key).AsSpan(0, 16));

    private byte[] Hash(string kind, string key) => SHA256.HashData(Encoding.UTF8.GetBytes($"{projectId}\n{kind}\n{key}"));
}
