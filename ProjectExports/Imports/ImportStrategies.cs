namespace ProjectExports.Imports;

/// <summary>The spellings of an <see cref="ImportStrategy"/>: on the wire, in audit entries, and as a caller may give it.</summary>
public static class ImportStrategies
{
    public static string ToWireName(this ImportStrategy strategy) => strategy == ImportStrategy.Skip ? "SKIP" : "OVERWRITE_DESTRUCTIVE";

    /// <summary>As audit entries word it: "Skip", "Overwrite Destructive".</summary>
    public static string ToWords(this ImportStrategy strategy) => strategy == ImportStrategy.Skip ? "Skip" : "Overwrite Destructive";

    public static bool TryParse(string? text, out ImportStrategy strategy)
    {
        strategy = ImportStrategy.Skip;
        if (string.Equals(text, "SKIP", StringComparison.OrdinalIgnoreCase)) return true;
        strategy = ImportStrategy.OverwriteDestructive;
        return string.Equals(text, "OVERWRITE_DESTRUCTIVE", StringComparison.OrdinalIgnoreCase);
    }
}
