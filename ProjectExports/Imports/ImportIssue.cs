namespace ProjectExports.Imports;

/// <summary>
/// One problem or warning about an import document; <c>path</c> is a JSON Pointer (RFC 6901) into it. Message and
/// path are cut at <see cref="MaxEchoLength"/> characters (ending in <see cref="Echo.Marker"/>), so an issue never
/// echoes a long name or value back in full: with the cap on the number of issues, a response stays bounded
/// whatever the document holds.
/// </summary>
public sealed record ImportIssue
{
    public const int MaxEchoLength = 500;

    public ImportIssue(string code, string message, string path)
    {
        Code = code;
        Message = Echo.Cut(message, MaxEchoLength);
        Path = Echo.Cut(path, MaxEchoLength);
    }

    public string Code { get; }

    public string Message { get; }

    public string Path { get; }
}

/// <summary>Shortens text a response repeats from its input, marking the cut.</summary>
public static class Echo
{
    /// <summary>Ends every cut text, so a reader sees it was cut.</summary>
    public const string Marker = "…(cut)";

    public static string Cut(string text, int maxLength)
    {
        if (text.Length <= maxLength) return text;
        var keep = maxLength - Marker.Length;
        if (char.IsHighSurrogate(text[keep - 1])) keep--; // half a pair would make the answer unwritable
        return string.Concat(text.AsSpan(0, keep), Marker);
    }
}

/// <summary>
/// Issues found in one document, capped: a 10 MB file of one-character mistakes would otherwise make millions of
/// issues (gigabytes of memory, a response far larger than the upload). Past the cap one last issue says so.
/// </summary>
public sealed class ImportIssueList : System.Collections.ObjectModel.Collection<ImportIssue>
{
    public const int MaxIssues = 1000;

    public bool IsTruncated { get; private set; }

    protected override void InsertItem(int index, ImportIssue item)
    {
        if (Count < MaxIssues)
        {
            base.InsertItem(index, item);
        }
        else if (!IsTruncated)
        {
            IsTruncated = true;
            base.InsertItem(Count, new ImportIssue(ImportIssueCodes.TooManyIssues, $"More than {MaxIssues:N0} issues; the rest are not listed. Fix these and check again.", ""));
        }
    }

    /// <summary>The issues of several lists in one, under the same cap.</summary>
    public static ImportIssueList Of(params IEnumerable<ImportIssue>[] lists)
    {
        var all = new ImportIssueList();
        foreach (var issue in lists.SelectMany(list => list)) all.Add(issue);
        return all;
    }
}

/// <summary>The stable codes of <see cref="ImportIssue"/>s.</summary>
public static class ImportIssueCodes
{
    // Errors: the document is refused and nothing is written.
    public const string InvalidJson = "invalid_json";
    public const string InvalidYaml = "invalid_yaml";
    public const string InvalidUnicode = "invalid_unicode";
    public const string UnsupportedVersion = "unsupported_version";
    public const string WrongType = "wrong_type";
    public const string MissingField = "missing_field";
    public const string InvalidValue = "invalid_value";
    public const string DuplicateName = "duplicate_name";
    public const string LookalikeName = "lookalike_name";
    public const string DuplicateEntry = "duplicate_entry";
    public const string UnknownReference = "unknown_reference";
    public const string InconsistentReference = "inconsistent_reference";
    public const string PercentageOutOfRange = "percentage_out_of_range";
    public const string PercentageSumOver100 = "percentage_sum_over_100";
    public const string ValueTypeMismatch = "value_type_mismatch";
    public const string InvalidName = "invalid_name";
    public const string KeyTooLong = "key_too_long";
    public const string EntityTooLarge = "entity_too_large";
    public const string ConflictingFields = "conflicting_fields";
    public const string TooManyIssues = "too_many_issues";

    // Warnings: the import goes ahead.
    public const string UnknownProperty = "unknown_property";
    public const string IgnoredProperty = "ignored_property";
    public const string UnnormalizedName = "unnormalized_name";
    public const string WillCreate = "will_create";
    public const string WillSkip = "will_skip";
    public const string WillOverwrite = "will_overwrite";
    public const string AllocationDropped = "allocation_dropped";
}

/// <summary>
/// JSON Pointer building (RFC 6901): '~' becomes "~0" and '/' becomes "~1". A name longer than
/// <see cref="MaxNameLength"/> is cut (see <see cref="Echo"/>), so one long property name cannot crowd out the rest of a path.
/// </summary>
public static class JsonPointer
{
    public const int MaxNameLength = 100;

    public static string Append(string path, string name) =>
        $"{path}/{Echo.Cut(name, MaxNameLength).Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";

    public static string Append(string path, int index) => $"{path}/{index}";
}
