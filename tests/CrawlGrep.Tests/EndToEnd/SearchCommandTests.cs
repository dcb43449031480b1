using CrawlGrep.Tests.Conformance;
using System.Text.Json;

namespace CrawlGrep.Tests.EndToEnd;

/// <summary>The crawlgrep process end to end: output formats, exit codes, filters, errors.</summary>
public class SearchCommandTests
{
    private static readonly string Whirlwind = RealData.PathOf("whirlwind-python/whirlwind.warc.gz");
    private static readonly string Wet = RealData.PathOf("whirlwind-python/whirlwind.warc.wet.gz");
    private static readonly string Wat = RealData.PathOf("whirlwind-python/whirlwind.warc.wat.gz");

    [Fact]
    public void Output_to_a_file_shared_with_other_writers_lands_after_theirs_not_over_them()
    {
        if (RealData.Require() is null) return;
        using var tmp = new TempDir();
        // A shell group writing one file: each writer must move the shared offset on (a positioned write would not).
        string dll = Path.Combine(AppContext.BaseDirectory, "crawlgrep.dll");
        var psi = new System.Diagnostics.ProcessStartInfo("sh") { WorkingDirectory = tmp.Path };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("{ echo before; dotnet \"$1\" --no-db -c Biquipedia \"$2\"; echo after; } > out.txt; dotnet \"$1\" --no-db -c Biquipedia \"$2\" >> out.txt");
        psi.ArgumentList.Add("sh");
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add(Whirlwind);
        using var p = System.Diagnostics.Process.Start(psi)!;
        Assert.True(p.WaitForExit(60_000));
        var count = Cli.Run(tmp.Path, "--no-db", "-c", "Biquipedia", Whirlwind).Lines.Single();
        Assert.Equal(["before", count, "after", count], File.ReadAllLines(tmp.File("out.txt")));
    }

    [Fact]
    public void Default_output_has_file_offset_uri_and_context()
    {
        using var tmp = new TempDir();
        var r = Cli.Run(tmp.Path, "--no-db", "Biquipedia", Whirlwind);
        Assert.Equal(0, r.ExitCode);
        Assert.NotEmpty(r.Lines);
        foreach (var line in r.Lines)
        {
            Assert.StartsWith($"{Whirlwind}:", line);
            var rest = line[(Whirlwind.Length + 1)..];
            var offset = rest[..rest.IndexOf(':')];
            Assert.True(long.Parse(offset) > 0);
            Assert.Contains(":https://an.wikipedia.org/wiki/Escopete:", line);
            Assert.Contains("Biquipedia", line);
            Assert.DoesNotContain("\e[", line); // no colour when not a terminal
        }
    }

    [Fact]
    public void Json_keeps_markup_and_non_ascii_text_as_it_is_and_escapes_only_what_json_requires()
    {
        if (RealData.Require() is null) return;
        using var tmp = new TempDir();
        // Lines of Spanish Wikipedia HTML: tags, quotes, accents; what jq and a reader see should be that text.
        var r = Cli.Run(tmp.Path, "--no-db", "--json", "-e", "<a href=\"", "-e", "ó", Whirlwind);
        Assert.Equal(0, r.ExitCode);
        Assert.NotEmpty(r.Lines);
        Assert.Contains(r.Lines, l => l.Contains("\"context\":\"") && l.Contains("<a href=\\\""));
        Assert.Contains(r.Lines, l => l.Contains("ó"));
        foreach (var line in r.Lines)
        {
            Assert.DoesNotContain("\\u003C", line); // not the HTML-safe escapes of System.Text.Json's default
            Assert.DoesNotContain("\\u0022", line);
            var hit = JsonDocument.Parse(line).RootElement; // and still JSON, each line
            Assert.Contains(hit.GetProperty("match").GetString()!, hit.GetProperty("context").GetString());
        }
    }

    [Fact]
    public void Json_has_the_hit_columns_and_offsets_that_show_reads_back()
    {
        using var tmp = new TempDir();
        var r = Cli.Run(tmp.Path, "--no-db", "--json", "-i", "escopete", Whirlwind);
        Assert.Equal(0, r.ExitCode);
        var hits = r.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.True(hits.Count > 5);
        string[] columns = ["scan_id", "crawl", "file", "record_offset", "record_length", "warc_type", "record_id", "warc_date",
            "target_uri", "host", "content_type", "pattern", "match", "match_offset", "context"];
        foreach (var h in hits)
        {
            foreach (var c in columns) Assert.True(h.TryGetProperty(c, out _), $"missing column {c}");
            Assert.Equal("response", h.GetProperty("warc_type").GetString());
            Assert.Equal("an.wikipedia.org", h.GetProperty("host").GetString());
            Assert.Equal("text/html", h.GetProperty("content_type").GetString());
            Assert.Equal("CC-MAIN-2024-22", h.GetProperty("crawl").GetString());
            Assert.Equal("escopete", h.GetProperty("match").GetString()!.ToLowerInvariant());
            Assert.Contains(h.GetProperty("match").GetString()!, h.GetProperty("context").GetString());
        }
        var first = hits[0];
        var show = Cli.Run(tmp.Path, "show", Whirlwind, first.GetProperty("record_offset").GetInt64().ToString(), first.GetProperty("record_length").GetInt64().ToString());
        Assert.Equal(0, show.ExitCode);
        Assert.Contains($"WARC-Record-ID: {first.GetProperty("record_id").GetString()}", show.Stdout);
        Assert.Contains("Escopete", show.Stdout);
        var payload = Cli.Run(tmp.Path, "show", "--payload", Whirlwind, first.GetProperty("record_offset").GetInt64().ToString());
        var text = System.Text.Encoding.UTF8.GetBytes(payload.Stdout);
        long at = first.GetProperty("match_offset").GetInt64();
        Assert.Equal(first.GetProperty("match").GetString(), System.Text.Encoding.UTF8.GetString(text, (int)at, 8));
        var none = Cli.Run(tmp.Path, "show", Whirlwind, first.GetProperty("record_offset").GetInt64().ToString(), "0");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("length 0 holds no record", none.Stderr);
    }

    [Fact]
    public void Count_files_with_matches_and_max_count()
    {
        using var tmp = new TempDir();
        var one = Cli.Run(tmp.Path, "--no-db", "-c", "Escopete", Whirlwind);
        Assert.Equal(0, one.ExitCode);
        int lines = int.Parse(one.Stdout.Trim());
        Assert.True(lines > 1);
        var json = Cli.Run(tmp.Path, "--no-db", "--json", "Escopete", Whirlwind);
        Assert.True(json.Lines.Length >= lines, "every matching line has at least one hit");

        var many = Cli.Run(tmp.Path, "--no-db", "-c", "Escopete", Whirlwind, Wet);
        Assert.Contains($"{Whirlwind}:{lines}", many.Lines);
        Assert.Contains(many.Lines, l => l.StartsWith($"{Wet}:"));

        var uris = Cli.Run(tmp.Path, "--no-db", "-l", "Escopete", Whirlwind, Wet);
        Assert.Equal(["https://an.wikipedia.org/wiki/Escopete", "https://an.wikipedia.org/wiki/Escopete"], uris.Lines);

        // Without a database, -c needs only the matching lines; with one, every match is listed first: the counts agree.
        string[] set = ["-c", "-F", "-e", "Escopete", "-e", "the", "-e", "de", "-e", "Wikipedia"];
        var counted = Cli.Run(tmp.Path, ["--no-db", .. set, Whirlwind, Wet]);
        var recorded = Cli.Run(tmp.Path, ["--db", tmp.File("count.duckdb"), .. set, Whirlwind, Wet]);
        Assert.Equal(0, counted.ExitCode);
        Assert.Equal(recorded.Lines.Order(), counted.Lines.Order()); // inputs scanned in parallel print in the order they finish
        Assert.True(long.Parse(counted.Lines.Single(l => l.StartsWith($"{Whirlwind}:"))[(Whirlwind.Length + 1)..]) > lines);

        var max = Cli.Run(tmp.Path, "--no-db", "-m", "1", "Escopete", Whirlwind);
        Assert.Equal(0, max.ExitCode);
        Assert.Single(max.Lines.Select(l => l.Split(':')[1]).Distinct());
        Assert.True(max.Lines.Length < json.Lines.Length);
    }

    [Fact]
    public void The_readme_scan_of_samples_finds_the_planted_word()
    {
        using var tmp = new TempDir();
        var samples = Path.Combine(RepoRoot(), "samples");
        // The pattern equals the program's name: it must not be taken for the program itself.
        var r = Cli.Run(tmp.Path, "--no-db", "-c", "crawlgrep", samples);
        Assert.Equal(0, r.ExitCode);
        var counts = r.Lines.ToDictionary(l => Path.GetFileName(l[..l.LastIndexOf(':')]), l => int.Parse(l[(l.LastIndexOf(':') + 1)..]));
        Assert.Equal(3, counts.Count); // README.md in the folder is not an archive and is skipped
        Assert.True(counts["CC-MAIN-20240517233122-20240518023122-00000.warc.gz"] > 0);
        Assert.True(counts["CC-MAIN-20240517233122-20240518023122-00000.warc.wet.gz"] > 0);
    }

    internal static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "CrawlGrep.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    [Fact]
    public void Exit_codes_follow_grep()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Cli.Run(tmp.Path, "--no-db", "Escopete", Whirlwind).ExitCode);
        Assert.Equal(1, Cli.Run(tmp.Path, "--no-db", "no-such-text-anywhere", Whirlwind).ExitCode);
        var missing = Cli.Run(tmp.Path, "--no-db", "Escopete", tmp.File("nope.warc.gz"), Whirlwind);
        Assert.Equal(2, missing.ExitCode);
        Assert.NotEmpty(missing.Lines); // the readable input was still scanned
        Assert.Contains("nope.warc.gz: no such file", missing.Stderr);
        var notArchive = Cli.Run(tmp.Path, "--no-db", "x", RealData.PathOf("warcio/example.arc"));
        Assert.Equal(2, notArchive.ExitCode);
        Assert.Contains("ARC file, not WARC", notArchive.Stderr);
        var badRegex = Cli.Run(tmp.Path, "--no-db", "(unclosed", Whirlwind);
        Assert.Equal(2, badRegex.ExitCode);
        Assert.Contains("invalid pattern '(unclosed'", badRegex.Stderr);
        Assert.Equal(2, Cli.Run(tmp.Path, "--no-db", "--no-such-flag", "x", Whirlwind).ExitCode);
    }

    [Fact]
    public void Pattern_flags_e_f_F_i_w()
    {
        using var tmp = new TempDir();
        int Count(params string[] args) => Cli.Run(tmp.Path, ["--no-db", "--json", .. args]).Lines.Length;
        int escopete = Count("Escopete", Whirlwind);
        int guadalajara = Count("Guadalajara", Whirlwind);
        Assert.True(escopete > 0 && guadalajara > 0);
        Assert.Equal(escopete + guadalajara, Count("-e", "Escopete", "-e", "Guadalajara", Whirlwind));
        File.WriteAllLines(tmp.File("terms.txt"), ["Escopete", "", "Guadalajara"]);
        Assert.Equal(escopete + guadalajara, Count("-f", tmp.File("terms.txt"), Whirlwind));
        foreach (var (file, why) in new[] { (tmp.File("missing.txt"), "no such file"), (tmp.Path, "a folder, not a file") })
        {
            var bad = Cli.Run(tmp.Path, "--no-db", "-f", file, Whirlwind);
            Assert.Equal(2, bad.ExitCode);
            Assert.Equal($"crawlgrep: {file}: {why}", bad.Stderr.Trim());
        }
        Assert.True(Count("-i", "ESCOPETE", Whirlwind) >= escopete);
        Assert.Equal(0, Count("ESCOPETE", Whirlwind));
        Assert.True(Count("a.c", Whirlwind) > Count("-F", "a.c", Whirlwind));
        Assert.Equal(0, Count("-F", "Escopet.", Whirlwind));
        Assert.True(Count("-w", "Escopet", Whirlwind) == 0 && Count("Escopet", Whirlwind) > 0);
        var only = Cli.Run(tmp.Path, "--no-db", "-o", "-i", "escopet[a-z]", Whirlwind);
        Assert.NotEmpty(only.Lines);
        Assert.All(only.Lines, l => Assert.EndsWith(":Escopete", l, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Record_filters_type_mime_url()
    {
        using var tmp = new TempDir();
        int Count(params string[] args) => Cli.Run(tmp.Path, ["--no-db", "--json", .. args]).Lines.Length;
        // WAT metadata records are not payload-bearing by default.
        Assert.Equal(0, Count("Escopete", Wat));
        Assert.True(Count("--type", "metadata", "Escopete", Wat) > 0);
        Assert.True(Count("--type", "all", "Escopete", Wat) > 0);
        Assert.True(Count("--mime", "text/*", "Escopete", Whirlwind) > 0);
        Assert.Equal(0, Count("--mime", "application/pdf", "Escopete", Whirlwind));
        Assert.True(Count("--url", "wikipedia\\.org/wiki/Esc", "Escopete", Whirlwind) > 0);
        Assert.Equal(0, Count("--url", "^https://example\\.com/", "Escopete", Whirlwind));
        Assert.True(Count("--type", "conversion", "Escopete", Wet) > 0);

        // A misspelt type is an error, not a scan of no records ending as "no hits".
        var typo = Cli.Run(tmp.Path, "--no-db", "--type", "response,reponse", "Escopete", Whirlwind);
        Assert.Equal(2, typo.ExitCode);
        Assert.Empty(typo.Stdout);
        Assert.Contains("'reponse' is not a WARC record type", typo.Stderr);
    }

    [Fact]
    public void Links_to_archives_are_read_whole_and_links_to_folders_are_not_followed_in_a_folder()
    {
        using var tmp = new TempDir();
        var expected = Cli.Run(tmp.Path, "--no-db", "-c", "Escopete", Whirlwind).Stdout.Trim();
        Assert.True(long.Parse(expected) > 0);

        // A named link, and in a folder: a link to the archive, a link back up the tree (a loop) and one to another folder.
        var tree = Directory.CreateDirectory(tmp.File("tree")).FullName;
        var sub = Directory.CreateDirectory(Path.Combine(tree, "sub")).FullName;
        var other = Directory.CreateDirectory(tmp.File("other")).FullName;
        File.CreateSymbolicLink(Path.Combine(sub, "linked.warc.gz"), Whirlwind);
        Directory.CreateSymbolicLink(Path.Combine(sub, "up"), tree);
        Directory.CreateSymbolicLink(Path.Combine(tree, "other"), other);
        File.Copy(Whirlwind, Path.Combine(other, "copy.warc.gz"));

        var named = Cli.Run(tmp.Path, "--no-db", "-c", "Escopete", Path.Combine(sub, "linked.warc.gz"));
        Assert.Equal(0, named.ExitCode);
        Assert.Equal(expected, named.Stdout.Trim()); // the link's own length was read as the file's: no hits
        Assert.Empty(named.Stderr);

        var folder = Cli.Run(tmp.Path, "--no-db", "-c", "--stats", "Escopete", tree);
        Assert.Equal(0, folder.ExitCode);
        Assert.Equal([expected], folder.Lines); // one archive found (named only when there are several), the copy behind the link not
        Assert.Contains("links to folders", folder.Stderr);
        Assert.Contains(Path.Combine(tree, "other"), folder.Stderr);
        Assert.Contains(Path.Combine(sub, "up"), folder.Stderr);
    }

    [Fact]
    public void Help_gives_each_default_once_and_threads_0_is_every_core()
    {
        using var tmp = new TempDir();
        // An option whose description names its default must not also get the parser's "[default: ...]" (this machine's
        // core count printed beside "the number of cores").
        foreach (var command in new[] { "", "run", "resume", "plan", "job new", "job install-timer" })
        {
            var help = Cli.Run(tmp.Path, [.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);
            Assert.Equal(0, help.ExitCode);
            Assert.DoesNotContain(help.Lines, l => l.Split("[default:").Length > 2 || l.Contains("] [default:"));
            // The search's PATTERN PATH is in the search's help and plan's (its own), not before every subcommand.
            Assert.Equal(command is "" or "plan", help.Stdout.Contains("PATTERN PATH"));
        }
        var sql = Cli.Run(tmp.Path, "sql", "--help");
        Assert.Equal(0, sql.ExitCode); // asked for help, the missing statement is no error
        Assert.Contains("  crawlgrep sql <statement> [options]", sql.Lines);
        Assert.Contains(sql.Lines, l => l.TrimStart().StartsWith("<statement>", StringComparison.Ordinal));
        var all = Cli.Run(tmp.Path, "--no-db", "-c", "Escopete", Whirlwind);
        var zero = Cli.Run(tmp.Path, "--no-db", "-c", "-j", "0", "Escopete", Whirlwind);
        Assert.Equal(0, zero.ExitCode);
        Assert.Equal(all.Stdout, zero.Stdout);
        var negative = Cli.Run(tmp.Path, "--no-db", "-c", "-j", "-1", "Escopete", Whirlwind);
        Assert.Equal(2, negative.ExitCode);
        Assert.Contains("--threads: N is 1 or more", negative.Stderr);
    }

    [Fact]
    public void A_negative_max_count_is_no_limit_as_in_GNU_grep()
    {
        using var tmp = new TempDir();
        var all = Cli.Run(tmp.Path, "--no-db", "-c", "Escopete", Whirlwind);
        var unlimited = Cli.Run(tmp.Path, "--no-db", "-c", "-m", "-1", "Escopete", Whirlwind);
        var one = Cli.Run(tmp.Path, "--no-db", "-c", "-m", "1", "Escopete", Whirlwind);
        Assert.Equal(0, unlimited.ExitCode);
        Assert.Equal(all.Stdout, unlimited.Stdout);
        Assert.Equal("1", one.Stdout.Trim());
        Assert.True(long.Parse(all.Stdout.Trim()) > 1);
    }

    [Fact]
    public void Damaged_archive_warns_with_offset_and_keeps_hits()
    {
        using var tmp = new TempDir();
        // A copy of a genuine CC file with garbage between records and its last member cut short.
        var bytes = File.ReadAllBytes(Whirlwind).ToList();
        var members = GzipMembers(bytes.ToArray());
        int cutAt = members[^1] + (bytes.Count - members[^1]) / 2;
        var damaged = bytes.Take(members[1]).Concat("this is not gzip"u8.ToArray()).Concat(bytes.Skip(members[1]).Take(cutAt - members[1])).ToArray();
        File.WriteAllBytes(tmp.File("damaged.warc.gz"), damaged);
        var r = Cli.Run(tmp.Path, "--no-db", "--stats", "Escopete", tmp.File("damaged.warc.gz"));
        Assert.Equal(0, r.ExitCode);
        Assert.NotEmpty(r.Lines);
        Assert.Contains($"damaged.warc.gz: offset {members[1]}: 16 bytes of non-gzip data skipped", r.Stderr);
        Assert.Contains("truncated", r.Stderr);
    }

    internal static List<int> GzipMembers(byte[] file)
    {
        // Member starts, found by inflating each member and seeing where its input ended.
        var starts = new List<int>();
        int pos = 0;
        while (pos < file.Length)
        {
            starts.Add(pos);
            using var ms = new MemoryStream(file, pos, file.Length - pos);
            var d = new CrawlGrep.Core.Compression.GzipDecoder(ms, pos, (_, _) => { });
            var buf = new byte[1 << 20];
            while (true)
            {
                var s = d.Read(buf);
                if (s.UnitEnded) { pos = (int)s.UnitEnd; break; }
                if (s.EndOfInput) return starts;
            }
        }
        return starts;
    }
}
