using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace CrawlGrep.Cli.Commands;

/// <summary>
/// Help without the search's argument on the subcommands. The parser takes the root's arguments before any
/// subcommand, so its help for <c>sql</c> reads <c>crawlgrep [&lt;PATTERN PATH&gt;...] sql &lt;statement&gt;</c> and lists
/// PATTERN PATH under Arguments, though nobody types a pattern before <c>sql</c>. A subcommand's help is the parser's,
/// with the root's arguments taken out of its usage line and its Arguments (where they come first, before the
/// subcommand's own, which may share the name: <c>plan</c> takes PATTERN PATH too).
/// </summary>
internal static class CommandHelp
{
    public static void Apply(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().FirstOrDefault();
        if (help?.Action is HelpAction parsers) help.Action = new SubcommandHelp(parsers, root.Arguments.Select(a => a.Name).ToArray());
    }

    private sealed class SubcommandHelp(HelpAction parsers, string[] rootArguments) : SynchronousCommandLineAction
    {
        // As the parser's own help: asked for help, a missing argument is no error.
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var command = parseResult.CommandResult.Command;
            if (command is RootCommand) return parsers.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            var text = new StringWriter();
            parseResult.InvocationConfiguration.Output = text;
            int code;
            try { code = parsers.Invoke(parseResult); }
            finally { parseResult.InvocationConfiguration.Output = output; }
            // A subcommand with an argument of the same name (plan's PATTERN PATH) shares its row: only the usage's first goes.
            output.Write(rootArguments.Aggregate(text.ToString(), (help, name) =>
                WithoutRootArgument(help, name, keepRow: command.Arguments.Any(a => a.Name == name))));
            return code;
        }
    }

    /// <summary>
    /// The help text with the root's argument <paramref name="name"/> out of the usage line and the Arguments section (the
    /// first of each: the root's come before the subcommand's own), and the section out when that was its only row.
    /// </summary>
    internal static string WithoutRootArgument(string help, string name, bool keepRow = false)
    {
        string label = $"<{name}>";
        var lines = help.Split('\n').ToList();
        int usage = lines.FindIndex(l => l.Contains($"[{label}...] ", StringComparison.Ordinal));
        if (usage >= 0)
        {
            int at = lines[usage].IndexOf($"[{label}...] ", StringComparison.Ordinal);
            lines[usage] = lines[usage].Remove(at, label.Length + 6); // "[", "...] "
        }
        if (keepRow) return string.Join('\n', lines);
        int heading = lines.IndexOf("Arguments:");
        int row = heading < 0 ? -1 : lines.FindIndex(heading + 1, l => l.TrimStart().StartsWith(label + " ", StringComparison.Ordinal));
        if (row < 0) return string.Join('\n', lines);
        lines.RemoveAt(row);
        if (row == heading + 1 && (row == lines.Count || lines[row].Trim().Length == 0))
        {
            // No rows left: the heading goes, and the blank line that closed the section.
            lines.RemoveAt(heading);
            if (heading < lines.Count && lines[heading].Trim().Length == 0) lines.RemoveAt(heading);
        }
        return string.Join('\n', lines);
    }
}
