namespace ProjectExports.Imports;

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
