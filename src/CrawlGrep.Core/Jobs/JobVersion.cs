using System.Security.Cryptography;
using System.Text;
using CrawlGrep.Core.Planning;

namespace CrawlGrep.Core.Jobs;

/// <summary>The hashes that tell one job file from another: the version of its question, and its bytes.</summary>
internal static class JobVersion
{
    /// <summary>
    /// The version of the question a job asks: a hash over what decides its hits and nothing else. It covers the
    /// patterns (those read from pattern files included), the flags, max_count, the filters, which files of a
    /// crawl are read (type, segment, sample, seed, files) and the paths (sorted: their order changes no hit).
    /// It leaves out the name, comments and layout, which crawls (crawl, since), the executor, the outputs and the
    /// schedule: a run is recorded per crawl and version, so editing any of those must never scan a crawl again.
    /// </summary>
    public static string Of(ScanSpec spec, JobInput input)
    {
        var canonical = new Canonical();
        canonical.Add("version-format", "1");
        canonical.Add("patterns", spec.Patterns.Items);
        canonical.Add("fixed_strings", spec.Patterns.FixedStrings);
        canonical.Add("ignore_case", spec.Patterns.IgnoreCase);
        canonical.Add("word", spec.Patterns.WordRegexp);
        canonical.Add("max_count", spec.Limits.MaxLinesPerFile?.ToString());
        canonical.Add("filters.types", spec.Filters.Types);
        canonical.Add("filters.mime", spec.Filters.Mime);
        canonical.Add("filters.url", spec.Filters.Url);
        var crawl = input.Crawl;
        canonical.Add("input.type", crawl?.Type.ToString().ToLowerInvariant());
        canonical.Add("input.segment", crawl?.Segment);
        canonical.Add("input.sample", crawl?.Sample?.ToString());
        canonical.Add("input.seed", crawl?.Seed.ToString());
        canonical.Add("input.files", crawl?.Files?.ToString());
        canonical.Add("input.paths", input.Paths?.Order(StringComparer.Ordinal).ToList());
        return Hash(Encoding.UTF8.GetBytes(canonical.ToString()));
    }

    /// <summary>Lowercase hex of the first 8 bytes of the SHA-256 of <paramref name="bytes"/>.</summary>
    public static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];

    /// <summary>
    /// Named values written with their lengths, so that no pattern's text (which may hold any separator) can make
    /// two different questions serialize alike; a missing value is written apart from an empty one.
    /// </summary>
    private sealed class Canonical
    {
        private readonly StringBuilder _text = new();

        public void Add(string name, string? value)
        {
            _text.Append(name).Append('=');
            Value(value);
            _text.Append('\n');
        }

        public void Add(string name, bool value) => Add(name, value ? "true" : "false");

        public void Add(string name, IReadOnlyList<string>? values)
        {
            _text.Append(name).Append('=');
            if (values is null) _text.Append('-');
            else
            {
                _text.Append('[').Append(values.Count).Append(']');
                foreach (string v in values) Value(v);
            }
            _text.Append('\n');
        }

        private void Value(string? value)
        {
            if (value is null) _text.Append('-');
            else _text.Append(value.Length).Append(':').Append(value);
        }

        public override string ToString() => _text.ToString();
    }
}
