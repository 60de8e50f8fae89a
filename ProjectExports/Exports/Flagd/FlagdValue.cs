using System.Globalization;
using System.Text.Json.Nodes;
using ProjectExports.Projects;

namespace ProjectExports.Exports.Flagd;

/// <summary>A Flagsmith value as flagd can hold it: a boolean, a whole number, text, or none (null).</summary>
internal readonly record struct FlagdValue(FlagdValueKind Kind, string Text)
{
    public static readonly FlagdValue None = new(FlagdValueKind.None, "");

    public static FlagdValue Of(FeatureStateValue value) => Of(value.Type, value.StringValue, value.IntegerValue, value.BooleanValue);

    public static FlagdValue Of(MultivariateFeatureOption option) => Of(option.Type, option.StringValue, option.IntegerValue, option.BooleanValue);

    /// <summary>The field named by the type holds the value; an unknown type takes whichever field is set.</summary>
    private static FlagdValue Of(string type, string? text, long? integer, bool? boolean) => type switch
    {
        "unicode" => text is null ? None : new(FlagdValueKind.String, text),
        "int" => integer is { } i ? Number(i) : None,
        "bool" => boolean is { } b ? Boolean(b) : None,
        _ => text is not null ? new(FlagdValueKind.String, text) : integer is { } n ? Number(n) : boolean is { } f ? Boolean(f) : None,
    };

    private static FlagdValue Number(long value) => new(FlagdValueKind.Number, value.ToString(CultureInfo.InvariantCulture));

    private static FlagdValue Boolean(bool value) => new(FlagdValueKind.Boolean, value ? "true" : "false");

    /// <summary>The variant's JSON value in a flag of <paramref name="flagKind"/> (another kind is written as its text).</summary>
    public JsonNode ToJson(FlagdValueKind flagKind) => (flagKind == Kind ? Kind : FlagdValueKind.String) switch
    {
        FlagdValueKind.Number => JsonValue.Create(long.Parse(Text, CultureInfo.InvariantCulture)),
        FlagdValueKind.Boolean => JsonValue.Create(Text == "true"),
        _ => JsonValue.Create(Text),
    };
}

internal enum FlagdValueKind
{
    None,
    Boolean,
    Number,
    String,
}
