using System.Globalization;
using System.Text;

namespace CrawlGrep.Core.Matching;

/// <summary>
/// Reads a .NET regex far enough to find literals every match must contain: a set of strings, at
/// least one of which occurs in any match (<c>foo|bar</c> gives {foo, bar}; <c>colou?r</c> gives
/// {color, colour}; <c>ab+c</c> gives {ab} or {bc}). .NET does not expose its parse tree, so this is
/// our own recursive descent. It must be conservative: whatever it does not understand contributes
/// nothing, and any doubt (inline case or whitespace options, conditionals) gives no literals at all.
/// </summary>
public static class PatternAnalyzer
{
    private const int MaxSetSize = 64;
    private const int MaxLiteralLength = 64;

    /// <summary>The best required literal set, or null when none can be proven (every line is then a candidate).</summary>
    public static IReadOnlyList<string>? RequiredLiterals(string pattern, bool ignoreCase)
    {
        var parser = new Parser(pattern, ignoreCase);
        Info root;
        try
        {
            root = parser.ParseAlternation();
            if (parser.Bail || !parser.AtEnd) return null;
        }
        catch (FormatException) { return null; }
        return Useful(root.Required) ?? Useful(root.Exact);
    }

    /// <summary>
    /// Whether the pattern opens with <c>(?i)</c>, which makes all of it case-insensitive (a common way to ask for
    /// one case-insensitive pattern among others): <paramref name="rest"/> is the pattern after it, whose required
    /// literals are those of <see cref="RequiredLiterals"/> under ignore-case. Any other inline option still gives none.
    /// </summary>
    public static bool StartsIgnoringCase(string pattern, out string rest)
    {
        bool starts = pattern.StartsWith("(?i)", StringComparison.Ordinal);
        rest = starts ? pattern[4..] : pattern;
        return starts;
    }

    /// <summary>A set is useful when none of its members is empty.</summary>
    private static List<string>? Useful(List<string>? set) => set is { Count: > 0 } && set.TrueForAll(s => s.Length > 0) ? set : null;

    /// <summary>What a fragment of a pattern tells about the text it matches.</summary>
    private sealed class Info
    {
        /// <summary>Every string the fragment can match, when that set is small and finite.</summary>
        public List<string>? Exact;
        /// <summary>At least one of these occurs in every match.</summary>
        public List<string>? Required;
        /// <summary>Every match starts / ends with one of these.</summary>
        public List<string>? Head, Tail;

        public static Info Empty() => FromExact([""]);
        public static Info Opaque() => new();
        public static Info FromExact(List<string> exact) => new() { Exact = exact, Head = exact, Tail = exact, Required = Useful(exact) };
    }

    private sealed class Parser(string p, bool ignoreCase)
    {
        private int _i;
        public bool Bail;
        public bool AtEnd => _i >= p.Length;

        public Info ParseAlternation()
        {
            var branches = new List<Info> { ParseConcat() };
            while (_i < p.Length && p[_i] == '|')
            {
                _i++;
                branches.Add(ParseConcat());
            }
            return branches.Count == 1 ? branches[0] : Alternate(branches);
        }

        private static Info Alternate(List<Info> branches)
        {
            var info = new Info
            {
                Exact = UnionAll(branches.Select(b => b.Exact)),
                Head = UnionAll(branches.Select(b => b.Head)),
                Tail = UnionAll(branches.Select(b => b.Tail)),
            };
            // Every branch must bring its own requirement; their union is then required.
            info.Required = UnionAll(branches.Select(b => Useful(b.Required) ?? Useful(b.Exact)));
            return info;
        }

        private Info ParseConcat()
        {
            List<string> run = [""];          // exact strings since the last break
            List<string>? head = null;        // the concat's head, fixed at the first break
            bool broken = false;
            var candidates = new List<List<string>>();
            while (_i < p.Length && p[_i] != '|' && p[_i] != ')')
            {
                var item = ParseQuantified();
                if (item.Exact is not null && Cross(run, item.Exact) is { } longer)
                {
                    // "@example\.(org|com)": one literal "@example." may search faster than two longer ones.
                    if (longer.Count > run.Count) candidates.Add(run);
                    run = longer;
                    continue;
                }
                if (item.Exact is not null)
                {
                    // The run would grow too large: keep it as a candidate and start again.
                    candidates.Add(run);
                    if (!broken) { head = run; broken = true; }
                    run = item.Exact;
                    continue;
                }
                var withHead = item.Head is not null ? Cross(run, item.Head) : null;
                candidates.Add(withHead ?? run);
                if (item.Required is not null) candidates.Add(item.Required);
                if (!broken) { head = withHead ?? run; broken = true; }
                run = item.Tail ?? [""];
            }
            candidates.Add(run);
            if (!broken) return Info.FromExact(run);
            return new Info { Required = Best(candidates), Head = head, Tail = run };
        }

        private Info ParseQuantified()
        {
            var atom = ParseAtom();
            if (_i >= p.Length) return atom;
            int min, max;
            char c = p[_i];
            if (c == '*') { min = 0; max = -1; _i++; }
            else if (c == '+') { min = 1; max = -1; _i++; }
            else if (c == '?') { min = 0; max = 1; _i++; }
            else if (c == '{' && TryParseBraces(out min, out max)) { }
            else return atom;
            if (_i < p.Length && p[_i] is '?' or '+') _i++; // lazy / possessive

            if (min == 0)
            {
                // x? keeps a small exact set (colou?r); x*, x{0,n} tell nothing.
                if (max == 1 && atom.Exact is not null && Union(atom.Exact, [""]) is { } opt) return Info.FromExact(opt);
                return Info.Opaque();
            }
            if (min == max && atom.Exact is not null && Power(atom.Exact, min) is { } rep) return Info.FromExact(rep);
            return new Info { Required = Useful(atom.Required) ?? Useful(atom.Exact), Head = atom.Head, Tail = atom.Tail };
        }

        private bool TryParseBraces(out int min, out int max)
        {
            min = max = 0;
            int close = p.IndexOf('}', _i);
            if (close < 0) return false;
            var body = p.AsSpan(_i + 1, close - _i - 1);
            int comma = body.IndexOf(',');
            if (comma < 0)
            {
                if (!int.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out min)) return false;
                max = min;
            }
            else
            {
                if (!int.TryParse(body[..comma], NumberStyles.None, CultureInfo.InvariantCulture, out min)) return false;
                var rest = body[(comma + 1)..];
                if (rest.IsEmpty) max = -1;
                else if (!int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out max)) return false;
            }
            _i = close + 1;
            return true;
        }

        private Info ParseAtom()
        {
            char c = p[_i];
            switch (c)
            {
                case '(':
                    return ParseGroup();
                case '[':
                    return ParseClass();
                case '\\':
                    return ParseEscape();
                case '.':
                    _i++;
                    return Info.Opaque();
                case '^' or '$':
                    _i++;
                    return Info.Empty();
                case '{':
                    _i++; // not a quantifier here: a literal brace
                    return Literal('{');
                default:
                    if (char.IsHighSurrogate(c) && _i + 1 < p.Length)
                    {
                        var pair = p.Substring(_i, 2);
                        _i += 2;
                        return LiteralText(pair);
                    }
                    _i++;
                    return Literal(c);
            }
        }

        private Info ParseGroup()
        {
            _i++; // (
            bool zeroWidth = false;
            if (_i < p.Length && p[_i] == '?')
            {
                _i++;
                if (_i >= p.Length) throw new FormatException();
                char k = p[_i];
                if (k == '#') { int close = p.IndexOf(')', _i); if (close < 0) throw new FormatException(); _i = close + 1; return Info.Empty(); }
                if (k is ':' or '>') _i++;
                else if (k is '=' or '!') { _i++; zeroWidth = true; }
                else if (k == '<' && _i + 1 < p.Length && p[_i + 1] is '=' or '!') { _i += 2; zeroWidth = true; }
                else if (k is '<' or '\'' or 'P')
                {
                    // named group: (?<name>...), (?'name'...), also balancing groups (?<a-b>...)
                    char end = k == '\'' ? '\'' : '>';
                    int close = p.IndexOf(end, _i + 1);
                    if (close < 0) throw new FormatException();
                    if (p.AsSpan(_i, close - _i).Contains('-')) Bail = true;
                    _i = close + 1;
                }
                else if (k == '(') { Bail = true; return Info.Opaque(); } // conditional
                else
                {
                    // inline options (?imnsx-imnsx) or (?imnsx-imnsx:...)
                    int j = _i;
                    while (j < p.Length && p[j] is not (':' or ')')) j++;
                    if (j >= p.Length) throw new FormatException();
                    var flags = p.AsSpan(_i, j - _i);
                    if (flags.ContainsAny('i', 'x')) Bail = true; // changes what characters mean: no literals
                    _i = j + 1;
                    if (p[j] == ')') return Info.Empty();
                }
            }
            var inner = ParseAlternation();
            if (_i >= p.Length || p[_i] != ')') throw new FormatException();
            _i++;
            return zeroWidth ? Info.Empty() : inner;
        }

        private Info ParseClass()
        {
            int start = _i;
            _i++;
            bool negated = _i < p.Length && p[_i] == '^';
            if (negated) _i++;
            // Members are characters: one char, or the surrogate pair of a character outside the BMP.
            var members = new List<string>();
            bool simple = !negated;
            if (_i < p.Length && p[_i] == ']') { members.Add("]"); _i++; }
            while (_i < p.Length && p[_i] != ']')
            {
                char c = p[_i];
                if (c == '\\')
                {
                    if (_i + 1 >= p.Length) throw new FormatException();
                    char e = p[_i + 1];
                    if (char.IsLetterOrDigit(e) || char.IsSurrogate(e)) simple = false; else members.Add(e.ToString());
                    _i += e is 'p' or 'P' ? SkipProperty(_i) : 2;
                    continue;
                }
                if (c == '[') { simple = false; ParseClass(); continue; } // subtraction [a-z-[aeiou]]
                if (c == '-' && members.Count > 0 && _i + 1 < p.Length && p[_i + 1] != ']') simple = false;
                if (char.IsHighSurrogate(c) && _i + 1 < p.Length && char.IsLowSurrogate(p[_i + 1]))
                {
                    members.Add(p.Substring(_i, 2));
                    _i += 2;
                    continue;
                }
                if (char.IsSurrogate(c)) simple = false;
                members.Add(c.ToString());
                _i++;
            }
            if (_i >= p.Length) throw new FormatException();
            _i++; // ]
            if (!simple || members.Count == 0 || members.Count > 8) return Info.Opaque();
            var set = members.Distinct().ToList();
            if (ignoreCase && !set.TrueForAll(m => m.Length == 1 && CaseSafe(m[0]))) return Info.Opaque();
            return Info.FromExact(set);
        }

        private int SkipProperty(int at)
        {
            int close = p.IndexOf('}', at);
            if (close < 0) throw new FormatException();
            return close - at + 1;
        }

        private Info ParseEscape()
        {
            if (_i + 1 >= p.Length) throw new FormatException();
            char e = p[_i + 1];
            _i += 2;
            switch (e)
            {
                case 'b' or 'B' or 'A' or 'z' or 'Z' or 'G':
                    return Info.Empty();
                case 't': return Literal('\t');
                case 'n': return Literal('\n');
                case 'r': return Literal('\r');
                case 'f': return Literal('\f');
                case 'v': return Literal('\v');
                case 'e': return Literal('\u001B');
                case 'a': return Literal('\a');
                case 'x':
                    return HexLiteral(2);
                case 'u':
                    return HexLiteral(4);
                case 'p' or 'P':
                    _i += SkipProperty(_i);
                    return Info.Opaque();
                case 'k':
                    if (_i < p.Length && p[_i] is '<' or '\'') { int close = p.IndexOfAny(['>', '\''], _i + 1); if (close > 0) _i = close + 1; }
                    return Info.Opaque();
                case 'c':
                    if (_i < p.Length) _i++;
                    return Info.Opaque();
                default:
                    if (char.IsDigit(e))
                    {
                        while (_i < p.Length && char.IsDigit(p[_i])) _i++; // backreference or octal
                        return Info.Opaque();
                    }
                    if (char.IsLetter(e)) return Info.Opaque(); // \d \w \s and kin
                    return Literal(e);
            }
        }

        private Info HexLiteral(int digits)
        {
            if (_i + digits > p.Length || !int.TryParse(p.AsSpan(_i, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code))
                throw new FormatException();
            _i += digits;
            return Literal((char)code);
        }

        private Info Literal(char c) => CaseSafe(c) && !char.IsSurrogate(c) ? Info.FromExact([c.ToString()]) : Info.Opaque();

        private Info LiteralText(string s) => ignoreCase ? Info.Opaque() : Info.FromExact([s]);

        /// <summary>
        /// Under -i, .NET and ripgrep match 'k' to the Kelvin sign and 's' to the long s, and non-ASCII
        /// letters have many forms; the byte prefilter folds only ASCII, so those are not literals.
        /// </summary>
        private bool CaseSafe(char c) => !ignoreCase || c < 0x80 && c is not ('k' or 'K' or 's' or 'S');
    }

    private static List<string>? Cross(List<string> a, List<string> b)
    {
        if ((long)a.Count * b.Count > MaxSetSize) return null;
        var result = new List<string>(a.Count * b.Count);
        foreach (var x in a)
            foreach (var y in b)
            {
                if (x.Length + y.Length > MaxLiteralLength) return null;
                var s = x + y;
                if (!result.Contains(s)) result.Add(s);
            }
        return result;
    }

    private static List<string>? Power(List<string> a, int n)
    {
        List<string>? r = [""];
        for (int k = 0; k < n && r is not null; k++) r = Cross(r, a);
        return r;
    }

    private static List<string>? Union(List<string> a, List<string> b)
    {
        var r = a.Concat(b).Distinct().ToList();
        return r.Count > MaxSetSize ? null : r;
    }

    private static List<string>? UnionAll(IEnumerable<List<string>?> sets)
    {
        var r = new List<string>();
        foreach (var s in sets)
        {
            if (s is null) return null;
            foreach (var x in s) if (!r.Contains(x)) r.Add(x);
            if (r.Count > MaxSetSize) return null;
        }
        return r;
    }

    /// <summary>
    /// The most selective set: long members, few of them. Each doubling of the member count costs
    /// about two bytes of length (one literal searches faster than a set).
    /// </summary>
    private static List<string>? Best(List<List<string>> candidates)
    {
        List<string>? best = null;
        double bestScore = double.MinValue;
        foreach (var c in candidates)
        {
            if (Useful(c) is null) continue;
            double score = c.Min(s => Encoding.UTF8.GetByteCount(s)) - 2 * Math.Log2(c.Count);
            if (best is null || score > bestScore) { best = c; bestScore = score; }
        }
        return best;
    }
}
