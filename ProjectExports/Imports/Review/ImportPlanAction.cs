namespace ProjectExports.Imports.Review;

/// <summary>What an import does to one entity the document touches.</summary>
public static class ImportPlanAction
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Delete = "delete";
    public const string Unchanged = "unchanged";
    public const string Skip = "skip";

    /// <summary>How many places <see cref="Rank"/> gives.</summary>
    public const int Ranks = 5;

    /// <summary>Review order: what destroys first, then what changes, then what is new, then what is left alone.</summary>
    public static int Rank(string action) => action switch
    {
        Delete => 0,
        Update => 1,
        Create => 2,
        Skip => 3,
        _ => 4,
    };
}
