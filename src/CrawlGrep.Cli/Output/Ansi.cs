namespace CrawlGrep.Cli.Output;

/// <summary>ripgrep's default colours; empty strings when colour is off.</summary>
public sealed class Ansi(bool enabled)
{
    public string Path => enabled ? "\e[35m" : "";
    public string Number => enabled ? "\e[32m" : "";
    public string Uri => enabled ? "\e[36m" : "";
    public string Match => enabled ? "\e[1;31m" : "";
    public string Reset => enabled ? "\e[0m" : "";
    public bool Enabled => enabled;
}
