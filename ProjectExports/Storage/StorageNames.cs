namespace ProjectExports.Storage;

/// <summary>Names of every table, queue and container, shared by both hosts and the infrastructure.</summary>
public static class StorageNames
{
    /// <summary>The app setting (or setting prefix, for identity-based connections) holding the storage connection.</summary>
    public const string ConnectionSetting = "AzureWebJobsStorage";

    public const string ProjectConfigurationTable = "projectconfig";
    public const string ExportsTable = "exports";
    public const string JobIndexTable = "exportindex";
    public const string AuditLogTable = "auditlog";
    public const string ApiKeysTable = "apikeys";
    public const string ProjectGrantsTable = "projectgrants";
    public const string ImportsTable = "imports";
    public const string ProjectsTable = "projects";

    public const string ExportQueue = "project-exports";
    public const string ExportPoisonQueue = ExportQueue + "-poison";

    public const string ImportQueue = "project-imports";
    public const string ImportPoisonQueue = ImportQueue + "-poison";

    public const string ExportContainer = "project-exports";
    public const string ImportContainer = "project-imports";
}
