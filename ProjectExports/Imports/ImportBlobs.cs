namespace ProjectExports.Imports;

/// <summary>Blob names of an import: the document as validated, and the plan made from it when it was accepted.</summary>
public static class ImportBlobs
{
    public static string Document(string projectId, string importId) => $"{projectId}/{importId}.json";

    public static string Plan(string projectId, string importId) => $"{projectId}/{importId}.plan.json";
}
