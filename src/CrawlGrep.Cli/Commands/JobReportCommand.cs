using System.CommandLine;
using System.Text;
using CrawlGrep.Cli.Output;
using CrawlGrep.Core.Jobs;
using CrawlGrep.Core.Results;

namespace CrawlGrep.Cli.Commands;

/// <summary>
/// <c>crawlgrep job report NAME -o report.html</c>: one self-contained page (inline SVG, no script, nothing fetched)
/// with a job's hits per crawl per pattern and the top hosts of its latest crawl, to open or mail.
/// </summary>
internal static class JobReportCommand
{
    public static Command Create()
    {
        var job = new Argument<string>("JOB") { Description = "A job's name (in --db), or its job file" };
        var output = new Option<string>("--output", "-o") { Description = "The HTML file to write", HelpName = "FILE", Required = true };
        var db = new Option<string?>("--db") { Description = $"The result database [default: the job file's, else {ResultStore.DefaultPath}]", HelpName = "FILE" };
        var command = new Command("report", "Write a job's results across crawls as one self-contained HTML page");
        command.Arguments.Add(job);
        command.Options.Add(output);
        command.Options.Add(db);
        command.SetAction(pr =>
        {
            string name = pr.GetValue(job)!, path = pr.GetValue(db) ?? ResultStore.DefaultPath;
            if (name.EndsWith(".toml", StringComparison.OrdinalIgnoreCase) && File.Exists(name))
            {
                try { var d = JobFile.Read(name); name = d.Name; path = pr.GetValue(db) ?? d.Database; }
                catch (JobFileException e) { return JobCommand.Fail(e.Message); }
            }
            string file = pr.GetValue(output)!;
            try
            {
                var trend = JobTrend.Read(path, name);
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
                using (var writer = new StreamWriter(file, append: false, new UTF8Encoding(false)))
                    JobReportPage.Write(trend, name, writer, JobClock.Now());
            }
            catch (ResultStoreException e) { return JobCommand.Fail($"job report: {e.Message}"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return JobCommand.Fail($"job report: {file}: {e.Message}"); }
            Console.Error.WriteLine($"crawlgrep: wrote {file}");
            return JobCommand.ExitOk;
        });
        return command;
    }
}
