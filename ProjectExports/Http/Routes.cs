namespace ProjectExports.Http;

/// <summary>
/// Route templates, relative to <see cref="Prefix"/>. The Functions host adds the prefix itself (host.json
/// routePrefix "api"); the LocalHost maps <c>/api/</c> + template. Constants, so attributes can use them.
/// </summary>
public static class Routes
{
    public const string Prefix = "api";

    public const string Health = "health";
    public const string Projects = "projects";
    public const string Project = Projects + "/{projectId}";
    public const string Exports = "projects/{projectId}/project-exports";
    public const string Export = Exports + "/{exportId}";
    public const string ExportDownload = Export + "/download";
    public const string Imports = "projects/{projectId}/project-imports";
    public const string ImportValidate = Imports + "/validate";
    public const string Import = Imports + "/{importId}";
    public const string ImportPlan = Import + "/plan";
    public const string ImportRevert = Import + "/revert";
    public const string AuditLog = "projects/{projectId}/audit-log";
}
