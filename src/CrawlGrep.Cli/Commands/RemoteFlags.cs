using System.CommandLine;
using CrawlGrep.Core.Sources;
using CrawlGrep.Core.Sources.Remote;

namespace CrawlGrep.Cli.Commands;

/// <summary>How s3:// and https:// inputs are reached: the flags every command that reads inputs shares.</summary>
internal sealed class RemoteFlags
{
    public readonly Option<string?> S3Endpoint = new("--s3-endpoint") { Description = "An S3-compatible endpoint for s3:// inputs (e.g. http://127.0.0.1:4568)", HelpName = "URL" };
    public readonly Option<string?> Region = new("--region") { Description = "AWS region of s3:// inputs [default: AWS_REGION, else us-east-1]", HelpName = "REGION" };
    public readonly Option<int?> Retries = new("--retries") { Description = "Tries of a failing request before its task fails [default: 8]", HelpName = "N" };

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { S3Endpoint, Region, Retries }) command.Options.Add(o);
    }

    /// <summary>The options the flags give, over <paramref name="saved"/> (a plan's or a scan's) and the environment's.</summary>
    public RemoteOptions Read(ParseResult pr, RemoteOptions? saved = null)
    {
        var o = Defaults(saved);
        o = o with { S3Endpoint = pr.GetValue(S3Endpoint) ?? o.S3Endpoint, Region = pr.GetValue(Region) ?? o.Region };
        if (pr.GetValue(Retries) is int n) o = o with { MaxAttempts = Math.Max(1, n) };
        return o;
    }

    /// <summary>The options with no flags given: <paramref name="saved"/>'s, else the environment's (CRAWLGREP_S3_ENDPOINT).</summary>
    public static RemoteOptions Defaults(RemoteOptions? saved = null) => RemoteOptions.FromEnvironment() with
    {
        S3Endpoint = saved?.S3Endpoint ?? Environment.GetEnvironmentVariable("CRAWLGREP_S3_ENDPOINT"),
        Region = saved?.Region,
    };

    public SourceResolver Resolver(ParseResult pr, RemoteOptions? saved = null) => new(Read(pr, saved));
}
