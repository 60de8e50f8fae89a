namespace ProjectExports.Imports;

/// <summary>What a dry run of an import is for (<see cref="ImportRequests.DryRunAsync"/>), which decides what it keeps of its plan.</summary>
public enum DryRunPurpose
{
    /// <summary>A validation: the plan's rows are built and checked, then dropped.</summary>
    Validation,

    /// <summary>An import: the plan's rows are built into its stored form as they are checked.</summary>
    Import,

    /// <summary>An import of a plan the caller reviewed (<c>?plan_id=</c>): stored as for an import, and applied only to the project state it was made from.</summary>
    ReviewedImport,
}
