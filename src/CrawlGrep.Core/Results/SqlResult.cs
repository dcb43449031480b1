namespace CrawlGrep.Core.Results;

/// <summary>The result of one SQL statement: column names, DuckDB type names, and rows of CLR values.</summary>
/// <remarks>
/// Values are what DuckDB.NET returns: <see cref="long"/> for BIGINT, <see cref="System.Numerics.BigInteger"/>
/// for HUGEINT (e.g. <c>sum()</c> of BIGINT), <see cref="DateTime"/> for TIMESTAMP, <see cref="System.Collections.IList"/>
/// for lists, <see cref="System.Collections.IDictionary"/> for structs and maps; SQL NULL is <c>null</c>.
/// </remarks>
public sealed record SqlResult(
    IReadOnlyList<string> Columns,
    IReadOnlyList<string> ColumnTypes,
    IReadOnlyList<object?[]> Rows);
