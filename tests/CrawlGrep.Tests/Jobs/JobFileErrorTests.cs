using Xunit;

namespace CrawlGrep.Tests.Jobs;

/// <summary>A bad job file, as <c>job run</c> and <c>job tick</c> meet it: one line naming the file and line, exit 2, nothing recorded.</summary>
public sealed class JobFileErrorTests
{
    public static TheoryData<string, string, int, string> Cases => new()
    {
        { "unknown key", "name = \"j\"\npatern = [\"x\"]\n[input]\ncrawl = \"latest\"\n", 2, "patern" },
        { "bad cron", "name = \"j\"\npatterns = [\"x\"]\n[input]\ncrawl = \"latest\"\n[schedule]\ncron = \"61 * * * *\"\n", 8, "cron" },
        { "bad regex", "name = \"j\"\npatterns = [\"(unclosed\"]\n[input]\ncrawl = \"latest\"\n", 2, "(unclosed" },
        { "unknown crawl", "name = \"j\"\npatterns = [\"x\"]\n[input]\ncrawl = \"CC-MAIN-1999-01\"\n", 6, "unknown crawl" },
        { "missing input", "name = \"j\"\npatterns = [\"x\"]\n", 1, "input" },
        { "wrong type", "name = \"j\"\npatterns = [\"x\"]\nignore_case = \"yes\"\n[input]\ncrawl = \"latest\"\n", 3, "ignore_case" },
        { "unknown since", "name = \"j\"\npatterns = [\"x\"]\n[input]\ncrawl = \"each-new\"\nsince = \"2011-99\"\n", 7, "unknown crawl" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_bad_job_file_is_one_line_with_its_line_and_nothing_is_recorded(string what, string toml, int line, string fragment)
    {
        using var layout = new JobLayout();
        layout.AddCrawl("CC-MAIN-2024-33", new DateTime(2024, 8, 3));
        layout.Publish("CC-MAIN-2024-33", files: 1);
        // Every case reads the layout's crawl list, so an unknown crawl is unknown to it and not to the network.
        string file = layout.WriteJob("bad", toml.Replace("[input]\n", "[input]\ncollinfo = \"../collinfo.json\"\ncc_root = \"..\"\n"));

        var result = layout.Run("job", "run", file);
        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"{what}: {result.Stderr}");
        Assert.StartsWith($"crawlgrep: {file}:{line}: ", lines[0]);
        Assert.Contains(fragment, lines[0]);
        Assert.False(File.Exists(layout.Database), $"{what}: a database was written");
    }

    [Fact]
    public void A_tick_runs_the_good_jobs_beside_a_bad_one_and_exits_2()
    {
        using var layout = new JobLayout();
        layout.AddCrawl("CC-MAIN-2024-33", new DateTime(2024, 8, 3));
        layout.Publish("CC-MAIN-2024-33", files: 1);
        layout.WriteJob("a-bad", "name = \"bad\"\npatterns = [\"x\"]\nthreads = 2\n");
        layout.WriteJob("good", "name = \"good\"\npatterns = [\"facebook\"]\n" + layout.CrawlInput("latest"));
        var result = layout.Run("job", "tick", ".");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("a-bad.toml:3: ", result.Stderr);
        Assert.Equal(1, layout.Scalar("SELECT count(*) FROM job_runs WHERE job = 'good' AND status = 'complete'"));
        Assert.Equal(0, layout.Scalar("SELECT count(*) FROM jobs WHERE job = 'bad'"));
    }
}
