namespace ProjectExports.Tests.Infrastructure;

public static class RepositoryPaths
{
    /// <summary>The repository root: the folder holding ProjectExports.slnx, found from the test binaries upwards.</summary>
    public static string Root { get; } = FindRoot();

    public static string Schema => Path.Combine(Root, "schemas", "project-export.v1.schema.json");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ProjectExports.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Run the tests from inside the repository (ProjectExports.slnx not found above the test binaries).");
    }
}
