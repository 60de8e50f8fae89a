namespace ProjectExports.Imports;

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
    public const string NotSelected = "not_selected";
}
