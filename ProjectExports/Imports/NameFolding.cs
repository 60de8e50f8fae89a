using System.Text;
using ICU4N;
using ICU4N.Globalization;
using ICU4N.Text;

namespace ProjectExports.Imports;

/// <summary>
/// How a name looks rather than how it is spelled in code points: without default-ignorable characters (zero-width
/// space and joiners, soft hyphen, variation selectors…), then in NFC. ICU's data, because .NET's string.Normalize
/// does nothing under InvariantGlobalization (it treats every string as normalized).
/// </summary>
public static class NameFolding
{
    private static readonly Normalizer2 Nfc = Normalizer2.NFCInstance;

    /// <summary>The name as people see it; two names with the same fold cannot be told apart on screen.</summary>
    public static string Fold(string name)
    {
        var visible = HasInvisible(name)
            ? string.Concat(name.EnumerateRunes().Where(r => !IsInvisible(r)).Select(r => r.ToString()))
            : name;
        return Nfc.Normalize(visible); // after the removal: an ignorable between two marks can block their composition
    }

    public static bool IsNfc(string name) => Nfc.IsNormalized(name);

    public static bool HasInvisible(string name) => name.EnumerateRunes().Any(IsInvisible);

    private static bool IsInvisible(Rune rune) => UChar.HasBinaryProperty(rune.Value, UProperty.Default_Ignorable_Code_Point);
}
