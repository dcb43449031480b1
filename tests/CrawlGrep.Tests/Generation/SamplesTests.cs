using System.CommandLine;
using System.Text.RegularExpressions;
using CrawlGrep.Cli.Commands;
using CrawlGrep.Tests.Planning.Index;

namespace CrawlGrep.Tests.Generation;

/// <summary>The committed samples/ must be exactly what the command in samples/README.md generates.</summary>
public class SamplesTests
{
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CrawlGrep.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root (CrawlGrep.sln) not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The arguments of the documented <c>crawlgrep generate --out samples ...</c> command.</summary>
    private static string[] DocumentedArguments(string readme)
    {
        var match = Regex.Match(readme, @"`crawlgrep (generate --out samples[^`]*)`");
        Assert.True(match.Success, "samples/README.md must show the command that regenerates the samples");
        return match.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void Committed_samples_equal_a_fresh_regeneration()
    {
        string samples = Path.Combine(RepoRoot(), "samples");
        string[] args = DocumentedArguments(File.ReadAllText(Path.Combine(samples, "README.md")));
        string fresh = Path.Combine(Path.GetTempPath(), "crawlgrep-samples-" + Guid.NewGuid().ToString("N"));
        try
        {
            int outIndex = Array.IndexOf(args, "--out") + 1;
            args[outIndex] = fresh;
            var root = new RootCommand { GenerateCommand.Create() };
            var output = new StringWriter();
            int exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = new StringWriter() });
            Assert.Equal(0, exit);

            string[] expected = Directory.GetFiles(fresh).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();
            string[] committed = Directory.GetFiles(samples).Select(f => Path.GetFileName(f)!).Where(n => n != "README.md")
                .Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(expected, committed);
            Assert.Equal(3, expected.Length);
            foreach (string name in expected)
            {
                byte[] want = File.ReadAllBytes(Path.Combine(fresh, name));
                byte[] have = File.ReadAllBytes(Path.Combine(samples, name));
                // First the content, so a generator change is told apart from a different zlib build.
                Assert.True(name.Contains(".wat.") || RecordBytes.Gunzip(want).AsSpan().SequenceEqual(RecordBytes.Gunzip(have)),
                    $"samples/{name} differs from a fresh run in content: regenerate with the command in samples/README.md");
                Assert.True(want.AsSpan().SequenceEqual(have),
                    $"samples/{name} differs from a fresh run (compressed bytes): regenerate with the command in samples/README.md");
            }
            Assert.True(expected.Sum(n => new FileInfo(Path.Combine(samples, n)).Length) < 2 * 1024 * 1024, "samples must stay under 2 MB");
            AssertSameIndex(fresh, samples);
        }
        finally
        {
            if (Directory.Exists(fresh)) Directory.Delete(fresh, recursive: true);
        }
    }

    /// <summary>
    /// The committed cc-index/ holds what generate writes: the same files, the same CDX lines and cluster.idx, the
    /// same Parquet rows (its bytes name the DuckDB version that wrote them).
    /// </summary>
    private static void AssertSameIndex(string fresh, string samples)
    {
        static string[] Files(string root) => Directory.GetFiles(Path.Combine(root, "cc-index"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray();
        string[] files = Files(fresh);
        Assert.Equal(files, Files(samples));
        Assert.Equal(3, files.Length);
        foreach (string name in files)
        {
            string want = Path.Combine(fresh, name), have = Path.Combine(samples, name);
            if (name.EndsWith(".parquet", StringComparison.Ordinal))
                Assert.True(Rows(want).SequenceEqual(Rows(have)), $"samples/{name} differs from a fresh run in its rows");
            else if (name.EndsWith(".gz", StringComparison.Ordinal))
                Assert.True(RecordBytes.Gunzip(File.ReadAllBytes(want)).AsSpan().SequenceEqual(RecordBytes.Gunzip(File.ReadAllBytes(have))),
                    $"samples/{name} differs from a fresh run in its lines");
            else
                Assert.Equal(File.ReadAllText(want), File.ReadAllText(have));
        }

        static IEnumerable<string> Rows(string parquet) => DuckDbRows.Query($"SELECT * FROM read_parquet({DuckDbRows.Literal(parquet)})")
            .Select(r => string.Join('\t', r.Select(c => $"{c.Key}={c.Value}")));
    }
}
