using System.CommandLine.Parsing;
using System.Globalization;

namespace CrawlGrep.Cli.Commands;

/// <summary>Byte sizes on the command line: <c>--size 200M</c>, <c>--split 64M</c>.</summary>
public static class Sizes
{
    /// <summary>Parses <c>123</c>, <c>64K</c>, <c>200M</c>, <c>200MB</c>, <c>1.5G</c>, <c>2GiB</c> (all suffixes are powers of 1024).</summary>
    public static long Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = text.Trim();
        int end = s.Length;
        while (end > 0 && char.IsLetter(s[end - 1])) end--;
        string unit = s[end..].ToUpperInvariant();
        long multiplier = unit switch
        {
            "" or "B" => 1,
            "K" or "KB" or "KIB" => 1L << 10,
            "M" or "MB" or "MIB" => 1L << 20,
            "G" or "GB" or "GIB" => 1L << 30,
            "T" or "TB" or "TIB" => 1L << 40,
            _ => throw new FormatException($"unknown size unit '{s[end..]}' in '{text}'"),
        };
        if (!decimal.TryParse(s[..end].Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal number))
            throw new FormatException($"not a size: '{text}'");
        return checked((long)(number * multiplier));
    }

    /// <summary>An option's custom parser: the size, or a parse error naming the option. Zero only when <paramref name="zeroAllowed"/>.</summary>
    public static long ParseArgument(ArgumentResult result, string option, bool zeroAllowed = false)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        try
        {
            long size = Parse(text);
            if (size < 0 || (size == 0 && !zeroAllowed)) result.AddError($"{option}: the size must be {(zeroAllowed ? "zero or more" : "positive")}: '{text}'");
            return size;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            result.AddError($"{option}: {e.Message}");
            return 0;
        }
    }
}
