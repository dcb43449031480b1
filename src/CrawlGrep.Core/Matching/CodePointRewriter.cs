using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CrawlGrep.Core.Matching;

/// <summary>
/// Rewrites a .NET pattern so that what matches "one character" matches one code point, as in ripgrep
/// (Rust's regex over UTF-8), rather than one UTF-16 unit: a character outside the BMP (an emoji) is a
/// surrogate pair in the decoded line, and .NET would otherwise see two characters in it.
/// <list type="bullet">
/// <item><c>.</c> matches a whole pair, or one BMP character other than '\n' (whatever <c>(?s)</c> says: a
/// line holds no '\n' of its own, only the barrier that stands for invalid UTF-8).</item>
/// <item><c>\W \D \S \P{..}</c> and negated classes also match the pairs of the astral code points outside
/// the set they negate, by Unicode (<see cref="AstralCategories"/>): <c>[^🚀]</c> matches 😀 but not 🚀,
/// <c>\P{L}</c> matches 😀 but not 𝒜.</item>
/// <item>A class holding astral characters or ranges becomes its BMP part or'ed with their pairs:
/// <c>[😀-🙏]</c> is <c>\uD83D[\uDE00-\uDE4F]</c>.</item>
/// <item>An astral literal before a quantifier is grouped, so <c>🚀+</c> repeats the pair, not its low half.</item>
/// <item>A greedy loop of a construct that takes every astral character (<c>.*</c>, <c>[^"]*</c>, <c>\S+</c>)
/// stays a loop of UTF-16 units, as fast as before, made to end on a whole character where what follows
/// it could match between two halves (see <c>OneCodePoint</c>).</item>
/// </list>
/// No match starts or ends between the two halves of a pair. Only non-capturing groups are added, so capture
/// numbers, backreferences and lookarounds keep their meaning; the rest of the pattern is kept as written, and
/// a pattern with none of these constructs comes back as the same string.
/// <para>Deliberately left as .NET has them: the positive classes <c>\w \d \p{..}</c> (alone or in a
/// positive class) match no astral code point, so that the most common classes keep their vectorized
/// loops (ripgrep's <c>\w</c> takes 𝒜 and CJK extension B ideographs, its <c>\p{So}</c> emoji); <c>\b</c> and
/// <c>-w</c> likewise see astral characters as non-word. Under ignore-case, astral letters do not fold
/// (Deseret, Adlam, ... do in ripgrep); .NET folds none either. The Unicode data is .NET's, which may be newer
/// than ripgrep's.</para>
/// <para>Anything not fully understood leaves the whole pattern unchanged: conditionals, free-spacing
/// (<c>x</c>), class subtraction, lone surrogates, an escaped astral character, ECMAScript options.</para>
/// </summary>
public static class CodePointRewriter
{
    /// <summary>One code point where a pair is possible: a BMP character other than '\n' (no surrogate), or a pair.</summary>
    private const string AnyCodePoint = @"(?:[^\n\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])";

    /// <summary>The code point version of <paramref name="pattern"/>, or the same string when nothing needs rewriting.</summary>
    public static string Rewrite(string pattern, RegexOptions options)
    {
        if ((options & (RegexOptions.IgnorePatternWhitespace | RegexOptions.ECMAScript)) != 0) return pattern;
        // Dots, classes, escapes and astral characters are all there is to rewrite.
        if (pattern.AsSpan().IndexOfAny('.', '[', '\\') < 0 && pattern.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
            return pattern;
        return new Rewriting(pattern).Run() ?? pattern;
    }

    /// <summary>One pass over the pattern: copies it, replacing constructs in place.</summary>
    private sealed class Rewriting(string p)
    {
        private readonly StringBuilder _out = new();
        private int _i;
        private int _copied; // p[.._copied] has been written to _out
        // The groups open at _i, innermost last: whether each passes its end on to what follows it (not a lookaround).
        private readonly List<bool> _groups = [];

        /// <summary>The rewritten pattern, the original if nothing changed, or null to leave it alone.</summary>
        public string? Run()
        {
            while (_i < p.Length)
            {
                char c = p[_i];
                bool understood = c switch
                {
                    '\\' => Escape(),
                    '[' => Class(),
                    '(' => GroupOpening(),
                    ')' => Close(),
                    '.' => OneCodePoint(_i + 1, AnyCodePoint, @"[^\n]", @"[^\n\uD800-\uDBFF]"),
                    _ when char.IsHighSurrogate(c) => _i + 1 < p.Length && char.IsLowSurrogate(p[_i + 1]) && AstralLiteral(_i + 2),
                    _ when char.IsLowSurrogate(c) => false,
                    _ => Skip(1),
                };
                if (!understood) return null;
            }
            if (_copied == 0) return p;
            _out.Append(p, _copied, p.Length - _copied);
            return _out.ToString();
        }

        private bool Skip(int count)
        {
            _i += count;
            return true;
        }

        /// <summary>Moves past a group opening <paramref name="length"/> long.</summary>
        private bool Open(int length, bool transparent)
        {
            _groups.Add(transparent);
            return Skip(length);
        }

        private bool Close()
        {
            if (_groups.Count == 0) return false;
            _groups.RemoveAt(_groups.Count - 1);
            return Skip(1);
        }

        /// <summary>Writes <paramref name="replacement"/> for p[start..end] and moves past it.</summary>
        private bool Replace(int start, int end, string replacement)
        {
            _out.Append(p, _copied, start - _copied).Append(replacement);
            _copied = end;
            _i = end;
            return true;
        }

        /// <summary>An astral character p[_i..end] (a pair, or \u escapes of one): grouped when a quantifier follows.</summary>
        private bool AstralLiteral(int end) =>
            QuantifierAt(end) ? Replace(_i, end, $"(?:{p[_i..end]})") : Skip(end - _i);

        /// <summary>
        /// p[_i..end], a construct matching one code point: <paramref name="codePoint"/> in general. Under a greedy
        /// <c>*</c>, <c>+</c> or <c>{n,}</c>, a construct that takes every astral character loops over UTF-16 units
        /// instead, keeping .NET's fast loops (a leading <c>.*</c> as a loop of groups is quadratic on long lines):
        /// <paramref name="unit"/> is one unit of it, surrogates included. A greedy run of such units ends at a
        /// character it does not take, never between two halves; it backs off between two halves only where the
        /// rest of the pattern matches there. When what follows cannot (<see cref="FailsBetweenHalves"/>), the plain
        /// unit loop is exact; else the run must end on <paramref name="unitEndingPair"/>, one unit that is not a
        /// high surrogate. <c>X{n,}</c> is <c>X{n-1}</c> then a loop of one or more.
        /// </summary>
        private bool OneCodePoint(int end, string codePoint, string? unit = null, string? unitEndingPair = null)
        {
            if (unit is null || unitEndingPair is null || !GreedyLoopAt(end, out int min, out int loopEnd))
                return Replace(_i, end, codePoint);
            bool plain = FailsBetweenHalves(loopEnd, _groups.Count);
            string last = unitEndingPair;
            string loop = min switch
            {
                0 => plain ? $"{unit}*" : $"(?:{unit}*{last})?",
                1 => plain ? $"{unit}+" : $"{unit}*{last}",
                _ => $"{codePoint}{{{min - 1}}}" + (plain ? $"{unit}+" : $"{unit}*{last}"),
            };
            return loop == p[_i..loopEnd] ? Skip(loopEnd - _i) : Replace(_i, loopEnd, loop);
        }

        /// <summary>
        /// Whether what starts at <paramref name="at"/>, right after a loop, surely fails between the two halves of
        /// a pair: a required consuming construct (none takes a lone low surrogate, but a loop of units), a group
        /// whose branches all start with one, an anchor, \b, the end of the match, or the end of a group followed
        /// by one of these.
        /// <paramref name="open"/>: how many of <see cref="_groups"/> are open at <paramref name="at"/>, or -1 in
        /// the branch of a group being looked into, where its end fails. Lookarounds, \B, backreferences and
        /// optional items are not looked into.
        /// </summary>
        private bool FailsBetweenHalves(int at, int open)
        {
            if (at >= p.Length) return open == 0;
            char c = p[at];
            int end;
            switch (c)
            {
                case '|' when open == 0:
                    return true; // the match ends here
                case '|' when open > 0:
                {
                    // this branch ends: go on after its group
                    int close = at;
                    while (close >= 0 && p[close] == '|') close = BranchEnd(close + 1);
                    return close >= 0 && FailsBetweenHalves(close, open);
                }
                case ')' when open > 0:
                    // the group ends: what follows it decides, unless it is a lookaround or may repeat
                    return _groups[open - 1] && (at + 1 >= p.Length || p[at + 1] is not ('?' or '*' or '+' or '{'))
                        && FailsBetweenHalves(at + 1, open - 1);
                case '(':
                {
                    int branch = GroupBodyStart(at);
                    if (branch < 0) return false;
                    while (true)
                    {
                        int stop = BranchEnd(branch);
                        if (stop < 0 || !FailsBetweenHalves(branch, open: -1)) return false;
                        if (p[stop] == ')')
                        {
                            end = stop + 1;
                            break;
                        }
                        branch = stop + 1;
                    }
                    break;
                }
                case '$' or '^':
                    return true;
                case '.':
                    end = at + 1;
                    break;
                case '[':
                    end = ClassEnd(at);
                    break;
                case '\\' when at + 1 < p.Length:
                {
                    char e = p[at + 1];
                    if (e is 'b' or 'A' or 'z' or 'Z') return true;
                    end = e switch
                    {
                        'p' or 'P' => p.IndexOf('}', at) is int close and >= 0 ? close + 1 : -1,
                        'x' => at + 4,
                        'u' => TryHex(at + 2, 4, out int unit) && !char.IsSurrogate((char)unit) ? at + 6 : -1,
                        'c' => at + 3,
                        // \B, \G, backreferences (maybe empty): not looked into
                        'B' or 'G' or 'k' or '<' or '\'' or (>= '1' and <= '9') => -1,
                        _ when char.IsSurrogate(e) => -1,
                        _ => at + 2,
                    };
                    break;
                }
                case '|' or ')' or '*' or '+' or '?' or '{' or '\\':
                    return false;
                default:
                    if (char.IsLowSurrogate(c)) return false;
                    end = char.IsHighSurrogate(c) ? at + 2 : at + 1;
                    break;
            }
            // A consuming construct, unless a quantifier makes it optional, or it may become a loop of units
            // itself (.+, [^a]+, \S+), which would take the low half.
            if (end <= at) return false;
            if (end >= p.Length) return true;
            return p[end] is not ('?' or '*' or '{' or '(') && (p[end] != '+' || c is not ('.' or '[' or '\\'));
        }

        /// <summary>Where the body of the capturing, non-capturing or atomic group opening at <paramref name="at"/> starts; -1 for other groups.</summary>
        private int GroupBodyStart(int at)
        {
            if (at + 1 >= p.Length || p[at + 1] != '?') return at + 1;
            if (at + 2 >= p.Length) return -1;
            if (p[at + 2] is ':' or '>') return at + 3;
            if (p[at + 2] is not ('<' or '\'') || at + 3 >= p.Length || p[at + 3] is '=' or '!') return -1;
            char delimiter = p[at + 2] == '<' ? '>' : '\'';
            int close = p.IndexOf(delimiter, at + 3);
            return close < 0 ? -1 : close + 1;
        }

        /// <summary>Where the group branch starting at <paramref name="at"/> ends: at its '|' or ')', or -1.</summary>
        private int BranchEnd(int at)
        {
            int depth = 0;
            for (int j = at; j < p.Length; j++)
            {
                switch (p[j])
                {
                    case '\\':
                        j++;
                        break;
                    case '[':
                        int classEnd = ClassEnd(j);
                        if (classEnd < 0) return -1;
                        j = classEnd - 1;
                        break;
                    case '(' when j + 2 < p.Length && p[j + 1] == '?' && p[j + 2] == '#':
                        j = p.IndexOf(')', j);
                        if (j < 0) return -1;
                        break;
                    case '(':
                        depth++;
                        break;
                    case ')':
                        if (depth == 0) return j;
                        depth--;
                        break;
                    case '|' when depth == 0:
                        return j;
                }
            }
            return -1;
        }

        /// <summary>Where the class opening at <paramref name="at"/> ends, or -1 if it may hold a subtraction.</summary>
        private int ClassEnd(int at)
        {
            int j = at + 1;
            if (j < p.Length && p[j] == '^') j++;
            if (j < p.Length && p[j] == ']') j++;
            for (; j < p.Length; j++)
            {
                if (p[j] == '\\') j++;
                else if (p[j] == '[') return -1;
                else if (p[j] == ']') return j + 1;
            }
            return -1;
        }

        /// <summary>Whether a greedy <c>*</c>, <c>+</c> or <c>{n,}</c> is at <paramref name="at"/>: its minimum, and where it ends.</summary>
        private bool GreedyLoopAt(int at, out int min, out int end)
        {
            min = 0;
            end = at + 1;
            if (at >= p.Length) return false;
            if (p[at] is '*' or '+') min = p[at] == '+' ? 1 : 0;
            else
            {
                if (p[at] != '{') return false;
                int j = at + 1;
                while (j < p.Length && char.IsAsciiDigit(p[j])) j++;
                if (j == at + 1 || j + 1 >= p.Length || p[j] != ',' || p[j + 1] != '}'
                    || !int.TryParse(p.AsSpan(at + 1, j - at - 1), NumberStyles.None, CultureInfo.InvariantCulture, out min)) return false;
                end = j + 2;
            }
            // A lazy loop stops as soon as it can, between two halves too: it keeps the code point form.
            return end >= p.Length || p[end] != '?';
        }

        /// <summary>Whether a quantifier applies to what ends at <paramref name="at"/> (past any (?#...) comments, as .NET reads it).</summary>
        private bool QuantifierAt(int at)
        {
            while (at + 2 < p.Length && p[at] == '(' && p[at + 1] == '?' && p[at + 2] == '#')
            {
                int close = p.IndexOf(')', at);
                if (close < 0) return false;
                at = close + 1;
            }
            if (at >= p.Length) return false;
            if (p[at] is '*' or '+' or '?') return true;
            if (p[at] != '{') return false;
            // {n}, {n,} or {n,m}; any other brace is a literal.
            int j = at + 1;
            int digits = j;
            while (j < p.Length && char.IsAsciiDigit(p[j])) j++;
            if (j == digits || j >= p.Length) return false;
            if (p[j] == '}') return true;
            if (p[j] != ',') return false;
            j++;
            while (j < p.Length && char.IsAsciiDigit(p[j])) j++;
            return j < p.Length && p[j] == '}';
        }

        /// <summary>A group opening: copied as it is, after checking it is one this rewrite understands.</summary>
        private bool GroupOpening()
        {
            int j = _i + 1;
            if (j >= p.Length || p[j] != '?') return Open(1, transparent: true); // a capture
            j++;
            if (j >= p.Length) return false;
            switch (p[j])
            {
                case '#':
                    int close = p.IndexOf(')', j);
                    return close >= 0 && Skip(close + 1 - _i);
                case ':' or '>':
                    return Open(3, transparent: true);
                case '=' or '!':
                    return Open(3, transparent: false);
                case '<' when j + 1 < p.Length && p[j + 1] is '=' or '!':
                    return Open(4, transparent: false);
                case '<' or '\'':
                {
                    // (?<name>, (?'name', (?<a-b>: word characters and a dash up to the closing delimiter
                    char delimiter = p[j] == '<' ? '>' : '\'';
                    int k = j + 1;
                    while (k < p.Length && (char.IsLetterOrDigit(p[k]) || p[k] is '_' or '-')) k++;
                    return k < p.Length && p[k] == delimiter && Open(k + 1 - _i, transparent: true);
                }
                case '(':
                    return false; // a conditional
                default:
                {
                    // (?imnsx-imnsx) or (?imnsx-imnsx: ... ; free-spacing changes what every character means
                    bool on = true;
                    int k = j;
                    for (; k < p.Length; k++)
                    {
                        char o = p[k];
                        if (o == '-') on = false;
                        else if (o == '+') on = true;
                        else if ((o | 0x20) == 'x') { if (on) return false; }
                        else if ((o | 0x20) is not ('i' or 'm' or 'n' or 's')) break;
                    }
                    if (k >= p.Length || p[k] is not (')' or ':')) return false;
                    return p[k] == ':' ? Open(k + 1 - _i, transparent: true) : Skip(k + 1 - _i);
                }
            }
        }

        /// <summary>A backslash outside a class.</summary>
        private bool Escape()
        {
            if (_i + 1 >= p.Length) return false;
            char e = p[_i + 1];
            switch (e)
            {
                case 'W' or 'D' or 'S':
                    return Negated(_i + 2, [Shorthand(char.ToLowerInvariant(e))]);
                case 'p' or 'P':
                {
                    if (!TryProperty(_i, out int end, out string name, out var astral)) return false;
                    if (e == 'P') return Negated(end, [new ClassItem(ItemKind.Category, 0, 0, $@"\p{{{name}}}", astral)]);
                    // \p{Cs} and kin: the BMP part only, without the halves
                    return AstralCategories.PropertyHoldsSurrogates(name)
                        ? Replace(_i, end, $@"[\p{{{name}}}-[\uD800-\uDFFF]]")
                        : Skip(end - _i);
                }
                case 'u':
                {
                    if (!TryHex(_i + 2, 4, out int unit)) return false;
                    if (!char.IsSurrogate((char)unit)) return Skip(6);
                    // \uD83D\uDE80: an astral character spelled as its pair
                    return char.IsHighSurrogate((char)unit) && _i + 12 <= p.Length && p[_i + 6] == '\\' && p[_i + 7] == 'u'
                        && TryHex(_i + 8, 4, out int low) && char.IsLowSurrogate((char)low) && AstralLiteral(_i + 12);
                }
                case 'c':
                    return _i + 2 < p.Length && Skip(3); // \cX: X may be '[' or '\'
                default:
                    // \\, \., \b, \w, \d, \s, \k<name>, \1, \x41, ...: nothing of the rest is special to this rewrite.
                    return !char.IsSurrogate(e) && Skip(2);
            }
        }

        /// <summary>
        /// A character class, read as .NET reads it: ']' first is a literal, '\-' and shorthands never start a
        /// range, '-' before ']' is a literal. Its items are code points and ranges of them, so pairs are single items.
        /// </summary>
        private bool Class()
        {
            int start = _i;
            int j = _i + 1;
            bool negated = j < p.Length && p[j] == '^';
            if (negated) j++;
            var items = new List<ClassItem>();
            for (bool first = true; ; first = false)
            {
                if (j >= p.Length) return false;
                char c = p[j];
                if (c == ']' && !first)
                {
                    j++;
                    break;
                }
                if (c == '\\' && j + 1 < p.Length && p[j + 1] is 'w' or 'W' or 'd' or 'D' or 's' or 'S')
                {
                    items.Add(Shorthand(p[j + 1]));
                    j += 2;
                    continue;
                }
                if (c == '\\' && j + 1 < p.Length && p[j + 1] is 'p' or 'P')
                {
                    if (!TryProperty(j, out int end, out string name, out var astral)) return false;
                    items.Add(new ClassItem(ItemKind.Category, 0, 0, p[j..end], p[j + 1] == 'P' ? astral.Complement() : astral));
                    j = end;
                    continue;
                }
                if (c == '\\' && j + 1 < p.Length && p[j + 1] == '-')
                {
                    items.Add(new ClassItem(ItemKind.Range, '-', '-', @"\-", AstralSet.Empty));
                    j += 2;
                    continue;
                }
                if (!TryClassChar(j, out int lo, out int afterLo)) return false;
                if (afterLo + 1 < p.Length && p[afterLo] == '-' && p[afterLo + 1] != ']')
                {
                    // A range, unless a subtraction [a-[b]]; a shorthand cannot end it.
                    int k = afterLo + 1;
                    if (p[k] == '[') return false;
                    int hi, afterHi;
                    if (p[k] == '\\' && k + 1 < p.Length && p[k + 1] == '-') (hi, afterHi) = ('-', k + 2);
                    else if (!TryClassChar(k, out hi, out afterHi)) return false;
                    if (hi < lo) return false;
                    items.Add(Range(lo, hi, p[j..afterHi]));
                    j = afterHi;
                    continue;
                }
                if (c == '-' && afterLo < p.Length && p[afterLo] == '[') return false; // subtraction
                items.Add(Range(lo, lo, p[j..afterLo]));
                j = afterLo;
            }

            if (negated) return Negated(j, items);
            // A positive class needs rewriting only when it holds astral characters or could match half a pair.
            bool astralItems = items.Any(item => item.Kind == ItemKind.Range && item.Hi >= AstralSet.First);
            bool halves = items.Any(HoldsSurrogates);
            if (!astralItems && !halves) return Skip(j - _i);
            var pairs = items.Aggregate(AstralSet.Empty, (set, item) => set.Union(item.Kind == ItemKind.Category && !item.Negated ? AstralSet.Empty : item.Astral));
            var sb = new StringBuilder();
            var bmp = items.Where(item => item.Lo < AstralSet.First).ToList();
            bool both = bmp.Count > 0 && !pairs.IsEmpty;
            if (both || bmp.Count == 0) sb.Append("(?:");
            if (bmp.Count > 0)
            {
                sb.Append('[');
                foreach (var item in bmp) AppendBmp(sb, item);
                if (halves) sb.Append(@"-[\uD800-\uDFFF]");
                sb.Append(']');
            }
            if (both) sb.Append('|');
            if (!pairs.IsEmpty) pairs.AppendPairs(sb);
            if (both || bmp.Count == 0) sb.Append(')');
            return Replace(start, j, sb.ToString());
        }

        /// <summary>
        /// p[_i..end], a negated class (or \W \D \S \P{..}, the negations of one item): its BMP part, which now
        /// also leaves out every surrogate, or'ed with the pairs of the astral code points outside all its items.
        /// When those are all of them and .NET's class holds every surrogate (<c>[^a-z]</c>, <c>\S</c>), a loop
        /// of it may stay a loop of UTF-16 units.
        /// </summary>
        private bool Negated(int end, List<ClassItem> items)
        {
            var pairs = items.Aggregate(AstralSet.Empty, (set, item) => set.Union(item.Astral)).Complement();
            bool unitLoop = pairs.IsAll && !items.Any(HoldsSurrogates);
            var sb = new StringBuilder();
            if (!pairs.IsEmpty) sb.Append("(?:");
            AppendNegatedBmp(sb, items, @"\uD800-\uDFFF");
            if (!pairs.IsEmpty)
            {
                sb.Append('|');
                pairs.AppendPairs(sb);
                sb.Append(')');
            }
            if (!unitLoop) return OneCodePoint(end, sb.ToString());
            var notHigh = new StringBuilder();
            AppendNegatedBmp(notHigh, items, @"\uD800-\uDBFF");
            return OneCodePoint(end, sb.ToString(), p[_i..end], notHigh.ToString());
        }

        /// <summary>A negated class of the BMP parts of <paramref name="items"/> that also leaves out <paramref name="surrogates"/>.</summary>
        private static void AppendNegatedBmp(StringBuilder sb, List<ClassItem> items, string surrogates)
        {
            sb.Append("[^");
            foreach (var item in items.Where(item => item.Lo < AstralSet.First)) AppendBmp(sb, item);
            sb.Append(surrogates).Append(']');
        }

        /// <summary>Writes the BMP part of a class item, in a form that means the same wherever it lands in the class.</summary>
        private static void AppendBmp(StringBuilder sb, ClassItem item)
        {
            if (item.Kind == ItemKind.Category)
            {
                sb.Append(item.Source);
                return;
            }
            AppendClassUnit(sb, item.Lo);
            int hi = Math.Min(item.Hi, 0xFFFF);
            if (hi == item.Lo) return;
            sb.Append('-');
            AppendClassUnit(sb, hi);
        }

        /// <summary>A BMP character inside a class: letters and digits as they are, the rest as \uXXXX (no special meaning, no octal run-on).</summary>
        private static void AppendClassUnit(StringBuilder sb, int unit)
        {
            if (char.IsAsciiLetterOrDigit((char)unit)) sb.Append((char)unit);
            else AstralSet.AppendUnit(sb, unit);
        }

        private static bool HoldsSurrogates(ClassItem item) => item.Kind == ItemKind.Category
            ? item.Negated || AstralCategories.PropertyHoldsSurrogates(item.PropertyName)
            : item.Lo <= 0xDFFF && Math.Min(item.Hi, 0xFFFF) >= 0xD800;

        private static ClassItem Shorthand(char letter)
        {
            var astral = char.ToLowerInvariant(letter) switch
            {
                'w' => AstralCategories.Word,
                'd' => AstralCategories.Digit,
                _ => AstralCategories.Space,
            };
            return new ClassItem(ItemKind.Category, 0, 0, $@"\{letter}", char.IsUpper(letter) ? astral.Complement() : astral);
        }

        private static ClassItem Range(int lo, int hi, string source) =>
            new(ItemKind.Range, lo, hi, source, AstralSet.Of([(lo, hi)]));

        /// <summary>\p{name} or \P{name} at <paramref name="at"/>, with the astral members of \p{name}.</summary>
        private bool TryProperty(int at, out int end, out string name, out AstralSet astral)
        {
            end = 0;
            name = "";
            astral = AstralSet.Empty;
            if (at + 2 >= p.Length || p[at + 2] != '{') return false;
            int close = p.IndexOf('}', at + 3);
            if (close < 0) return false;
            name = p[(at + 3)..close];
            end = close + 1;
            return AstralCategories.TryGetProperty(name, out astral);
        }

        /// <summary>One character of a class at <paramref name="at"/>, as a code point: raw, a pair, or an escape.</summary>
        private bool TryClassChar(int at, out int codePoint, out int end)
        {
            codePoint = 0;
            end = at + 1;
            char c = p[at];
            if (char.IsHighSurrogate(c))
            {
                if (at + 1 >= p.Length || !char.IsLowSurrogate(p[at + 1])) return false;
                codePoint = char.ConvertToUtf32(c, p[at + 1]);
                end = at + 2;
                return true;
            }
            if (char.IsLowSurrogate(c)) return false;
            if (c != '\\')
            {
                codePoint = c;
                return true;
            }
            if (at + 1 >= p.Length) return false;
            char e = p[at + 1];
            end = at + 2;
            switch (e)
            {
                case >= '0' and <= '7':
                {
                    // octal: up to three digits, truncated to a byte
                    int value = 0, k = at + 1;
                    for (; k < p.Length && k < at + 4 && p[k] is >= '0' and <= '7'; k++) value = value * 8 + (p[k] - '0');
                    codePoint = value & 0xFF;
                    end = k;
                    return true;
                }
                case 'x':
                    end = at + 4;
                    return TryHex(at + 2, 2, out codePoint);
                case 'u':
                {
                    end = at + 6;
                    if (!TryHex(at + 2, 4, out codePoint)) return false;
                    if (!char.IsSurrogate((char)codePoint)) return true;
                    // a pair of \u escapes is one astral character; a lone half is not understood
                    if (!char.IsHighSurrogate((char)codePoint) || at + 12 > p.Length || p[at + 6] != '\\' || p[at + 7] != 'u'
                        || !TryHex(at + 8, 4, out int low) || !char.IsLowSurrogate((char)low)) return false;
                    codePoint = char.ConvertToUtf32((char)codePoint, (char)low);
                    end = at + 12;
                    return true;
                }
                case 'c':
                {
                    if (at + 2 >= p.Length) return false;
                    char letter = p[at + 2];
                    int control = (char.IsAsciiLetterLower(letter) ? letter - 32 : letter) - '@';
                    codePoint = control;
                    end = at + 3;
                    return control is >= 0 and < 0x20;
                }
                case 'a': codePoint = '\a'; return true;
                case 'b': codePoint = '\b'; return true;
                case 'e': codePoint = 0x1B; return true;
                case 'f': codePoint = '\f'; return true;
                case 'n': codePoint = '\n'; return true;
                case 'r': codePoint = '\r'; return true;
                case 't': codePoint = '\t'; return true;
                case 'v': codePoint = '\v'; return true;
                default:
                    // ASCII punctuation stands for itself; other letters and digits are errors in .NET
                    if (!char.IsAscii(e) || char.IsAsciiLetterOrDigit(e) || e == '_') return false;
                    codePoint = e;
                    return true;
            }
        }

        private bool TryHex(int at, int digits, out int value)
        {
            value = 0;
            return at + digits <= p.Length
                && int.TryParse(p.AsSpan(at, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
    }

    private enum ItemKind
    {
        /// <summary>A code point or a range of them (Lo..Hi).</summary>
        Range,
        /// <summary>\w \W \d \D \s \S \p{..} \P{..}: kept as written in the BMP part.</summary>
        Category,
    }

    /// <param name="Astral">The astral code points the item holds by Unicode (for a category, exactly).</param>
    private sealed record ClassItem(ItemKind Kind, int Lo, int Hi, string Source, AstralSet Astral)
    {
        public bool Negated => Kind == ItemKind.Category && Source[1] is 'W' or 'D' or 'S' or 'P';
        public string PropertyName => Source.Length > 3 && Source[1] is 'p' or 'P' ? Source[3..^1] : "";
    }
}
