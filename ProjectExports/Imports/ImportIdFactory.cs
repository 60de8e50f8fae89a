using System.Security.Cryptography;
using System.Text;

namespace ProjectExports.Imports;

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
