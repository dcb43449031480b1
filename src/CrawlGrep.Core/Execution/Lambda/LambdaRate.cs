namespace CrawlGrep.Core.Execution.Lambda;

/// <summary>
/// What a function is billed at: per GB-second of its memory (the price depends on its architecture) and per
/// request. The fleet's cost meter bills a scan's REPORT lines at it.
/// </summary>
public sealed record LambdaRate(double PerGbSecond, double PerRequest)
{
    public static LambdaRate X86_64(LambdaPrices? prices = null)
    {
        prices ??= new LambdaPrices();
        return new LambdaRate(prices.X86PerGbSecond, prices.PerMillionRequests / 1e6);
    }

    public static LambdaRate Arm64(LambdaPrices? prices = null)
    {
        prices ??= new LambdaPrices();
        return new LambdaRate(prices.Arm64PerGbSecond, prices.PerMillionRequests / 1e6);
    }

    /// <summary>The price of <paramref name="invocations"/> requests that ran for <paramref name="gbSeconds"/> in all.</summary>
    public double Dollars(double gbSeconds, long invocations) => gbSeconds * PerGbSecond + invocations * PerRequest;
}
