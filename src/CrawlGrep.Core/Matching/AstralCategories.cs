using System.Globalization;

namespace CrawlGrep.Core.Matching;

/// <summary>
/// The astral code points of the classes a .NET pattern names (<c>\w</c>, <c>\d</c>, <c>\s</c>,
/// <c>\p{..}</c>), by Unicode (what Rust's regex, and so ripgrep, puts in them), from .NET's own
/// Unicode data. .NET's own classes hold no astral code point: they test one UTF-16 unit at a time.
/// </summary>
internal static class AstralCategories
{
    /// <summary>One set per <see cref="UnicodeCategory"/>, from one pass over the astral planes on first use.</summary>
    private static readonly Lazy<AstralSet[]> ByCategory = new(Build);

    private static readonly Lazy<AstralSet> WordSet = new(() => Union(
            UnicodeCategory.UppercaseLetter, UnicodeCategory.LowercaseLetter, UnicodeCategory.TitlecaseLetter,
            UnicodeCategory.ModifierLetter, UnicodeCategory.OtherLetter,
            UnicodeCategory.NonSpacingMark, UnicodeCategory.SpacingCombiningMark, UnicodeCategory.EnclosingMark,
            UnicodeCategory.DecimalDigitNumber, UnicodeCategory.LetterNumber, UnicodeCategory.ConnectorPunctuation)
        // Unicode's \w takes Alphabetic, not only letters: these squared and circled Latin capitals (🅰, 🄰)
        // are symbols with the Other_Alphabetic property, which .NET does not expose.
        .Union(AstralSet.Of([(0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189)])));

    /// <summary>Unicode's <c>\w</c>: alphabetic, marks, decimal digits, connector punctuation.</summary>
    public static AstralSet Word => WordSet.Value;

    /// <summary>Unicode's <c>\d</c>: decimal digits (Nd).</summary>
    public static AstralSet Digit => ByCategory.Value[(int)UnicodeCategory.DecimalDigitNumber];

    /// <summary>Unicode's <c>\s</c>: no white space lies outside the BMP.</summary>
    public static AstralSet Space => AstralSet.Empty;

    /// <summary>
    /// The astral members of <c>\p{name}</c>: a general category or category group (Lu, L, ...), or a named
    /// block (IsGreek: .NET's blocks all lie in the BMP, so none). False for a name .NET does not know.
    /// </summary>
    public static bool TryGetProperty(string name, out AstralSet set)
    {
        set = AstralSet.Empty;
        if (name.StartsWith("Is", StringComparison.Ordinal) && name.Length > 2) return true;
        if (Categories.TryGetValue(name, out var members))
        {
            set = Union(members);
            return true;
        }
        return false;
    }

    /// <summary>
    /// Whether .NET's own <c>\p{name}</c> holds surrogate code units, which a code point pattern must not
    /// match alone: the Cs category, its group C, and the surrogate blocks.
    /// </summary>
    public static bool PropertyHoldsSurrogates(string name) =>
        name is "Cs" or "C" or "IsHighSurrogates" or "IsHighPrivateUseSurrogates" or "IsLowSurrogates";

    private static readonly Dictionary<string, UnicodeCategory[]> Categories = BuildNames();

    private static Dictionary<string, UnicodeCategory[]> BuildNames()
    {
        var names = new Dictionary<string, UnicodeCategory[]>(StringComparer.Ordinal)
        {
            ["Lu"] = [UnicodeCategory.UppercaseLetter], ["Ll"] = [UnicodeCategory.LowercaseLetter],
            ["Lt"] = [UnicodeCategory.TitlecaseLetter], ["Lm"] = [UnicodeCategory.ModifierLetter],
            ["Lo"] = [UnicodeCategory.OtherLetter],
            ["Mn"] = [UnicodeCategory.NonSpacingMark], ["Mc"] = [UnicodeCategory.SpacingCombiningMark],
            ["Me"] = [UnicodeCategory.EnclosingMark],
            ["Nd"] = [UnicodeCategory.DecimalDigitNumber], ["Nl"] = [UnicodeCategory.LetterNumber],
            ["No"] = [UnicodeCategory.OtherNumber],
            ["Zs"] = [UnicodeCategory.SpaceSeparator], ["Zl"] = [UnicodeCategory.LineSeparator],
            ["Zp"] = [UnicodeCategory.ParagraphSeparator],
            ["Cc"] = [UnicodeCategory.Control], ["Cf"] = [UnicodeCategory.Format],
            ["Cs"] = [UnicodeCategory.Surrogate], ["Co"] = [UnicodeCategory.PrivateUse],
            ["Cn"] = [UnicodeCategory.OtherNotAssigned],
            ["Pc"] = [UnicodeCategory.ConnectorPunctuation], ["Pd"] = [UnicodeCategory.DashPunctuation],
            ["Ps"] = [UnicodeCategory.OpenPunctuation], ["Pe"] = [UnicodeCategory.ClosePunctuation],
            ["Pi"] = [UnicodeCategory.InitialQuotePunctuation], ["Pf"] = [UnicodeCategory.FinalQuotePunctuation],
            ["Po"] = [UnicodeCategory.OtherPunctuation],
            ["Sm"] = [UnicodeCategory.MathSymbol], ["Sc"] = [UnicodeCategory.CurrencySymbol],
            ["Sk"] = [UnicodeCategory.ModifierSymbol], ["So"] = [UnicodeCategory.OtherSymbol],
        };
        // The groups: every category whose name starts with the letter.
        foreach (string group in new[] { "L", "M", "N", "Z", "C", "P", "S" })
            names[group] = names.Where(kv => kv.Key.StartsWith(group, StringComparison.Ordinal)).SelectMany(kv => kv.Value).ToArray();
        return names;
    }

    private static AstralSet Union(params UnicodeCategory[] categories) =>
        categories.Aggregate(AstralSet.Empty, (set, c) => set.Union(ByCategory.Value[(int)c]));

    private static AstralSet[] Build()
    {
        var ranges = new List<(int, int)>[(int)UnicodeCategory.OtherNotAssigned + 1];
        for (int k = 0; k < ranges.Length; k++) ranges[k] = [];
        int start = AstralSet.First;
        var current = CharUnicodeInfo.GetUnicodeCategory(start);
        for (int cp = start + 1; cp <= AstralSet.Last + 1; cp++)
        {
            var category = cp <= AstralSet.Last ? CharUnicodeInfo.GetUnicodeCategory(cp) : (UnicodeCategory)(-1);
            if (category == current) continue;
            ranges[(int)current].Add((start, cp - 1));
            start = cp;
            current = category;
        }
        return ranges.Select(AstralSet.Of).ToArray();
    }
}
