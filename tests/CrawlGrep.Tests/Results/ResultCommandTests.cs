using System.CommandLine;
using System.Text.Json;
using CrawlGrep.Cli.Commands;

namespace CrawlGrep.Tests.Results;

public class ResultCommandTests
{
    private static (int Code, string Out, string Err) Invoke(Command command, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = command.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Sql_bad_statement_is_one_line_exit_2()
    {
        using var dir = new TempDir();
        var db = ResultsData.Populate(dir, 3);
        var (code, stdout, stderr) = Invoke(SqlCommand.Create(), "SELECT nope FROM hits", "--db", db);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("crawlgrep: sql: ", stderr);
        Assert.Single(stderr.TrimEnd('\n', '\r').Split('\n'));
        Assert.DoesNotContain(" at ", stderr);
    }

    [Fact]
    public void Sql_missing_database_exit_2()
    {
        using var dir = new TempDir();
        var (code, _, stderr) = Invoke(SqlCommand.Create(), "SELECT 1", "--db", dir.File("nope.duckdb"));
        Assert.Equal(2, code);
        Assert.Contains("nope.duckdb", stderr);
    }

    [Fact]
    public void Sql_table_csv_and_json()
    {
        using var dir = new TempDir();
        var db = ResultsData.Populate(dir, 3);
        const string sql = "SELECT scan_id, record_offset, warc_date, host, match, context, [1, 2] AS l, sum(match_offset) OVER () AS s FROM hits WHERE scan_id = 1 ORDER BY record_offset";

        var table = Invoke(SqlCommand.Create(), sql, "--db", db);
        Assert.Equal(0, table.Code);
        var lines = table.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("scan_id | record_offset | warc_date", lines[0]);
        Assert.Matches("^-+-\\+-", lines[1]);
        Assert.Contains("NULL", lines[2]); // i = 0: warc_date is null
        Assert.Equal("(3 rows)", lines[^1].TrimEnd('\r'));

        var csv = Invoke(SqlCommand.Create(), sql, "--db", db, "--csv");
        Assert.Equal(0, csv.Code);
        var records = csv.Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("scan_id,record_offset,warc_date,host,match,context,l,s", records[0]);
        Assert.Equal(4, records.Length);
        Assert.StartsWith("1,5000001000,2024-05-20 10:30:01,example.org,haystack1,\"line 1: a needle in a haystack, \"\"quoted\"\", with commas\",\"[1, 2]\",30", records[2]);

        var json = Invoke(SqlCommand.Create(), sql, "--db", db, "--json");
        Assert.Equal(0, json.Code);
        var rows = json.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("warc_date").ValueKind);
        Assert.Equal(5_000_001_000L, rows[1].GetProperty("record_offset").GetInt64());
        Assert.Equal("2024-05-20T10:30:01", rows[1].GetProperty("warc_date").GetString());
        Assert.Equal(JsonValueKind.Array, rows[1].GetProperty("l").ValueKind);
        Assert.Equal(30, rows[1].GetProperty("s").GetInt64()); // HUGEINT as a JSON number
        Assert.Equal("line 1: a needle in a haystack, \"quoted\", with commas", rows[1].GetProperty("context").GetString());

        var both = Invoke(SqlCommand.Create(), sql, "--db", db, "--json", "--csv");
        Assert.Equal(2, both.Code);
    }

    [Fact]
    public void Sql_prints_maps_in_table_csv_and_json()
    {
        using var dir = new TempDir();
        var db = ResultsData.Populate(dir, 1);
        const string sql = "SELECT MAP {'a': 1, 'b': 2} AS m, (SELECT tags FROM duckdb_databases() WHERE database_name = current_database()) AS t";

        var table = Invoke(SqlCommand.Create(), sql, "--db", db);
        Assert.Equal(0, table.Code);
        Assert.Contains("{a: 1, b: 2}", table.Out);

        var csv = Invoke(SqlCommand.Create(), sql, "--db", db, "--csv");
        Assert.Equal(0, csv.Code);
        Assert.StartsWith("m,t\r\n\"{a: 1, b: 2}\",{", csv.Out);

        var json = Invoke(SqlCommand.Create(), sql, "--db", db, "--json");
        Assert.Equal(0, json.Code);
        var row = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal(2, row.GetProperty("m").GetProperty("b").GetInt32());
    }

    [Fact]
    public void Sql_a_column_of_a_type_the_client_cannot_read_is_a_one_line_error_naming_it()
    {
        using var dir = new TempDir();
        var db = ResultsData.Populate(dir, 1);
        var (code, _, stderr) = Invoke(SqlCommand.Create(), "SELECT 1 AS a, union_value(num := 2) AS un", "--db", db);
        Assert.Equal(2, code);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("column un", stderr);
        Assert.Contains("VARCHAR", stderr);

        var cast = Invoke(SqlCommand.Create(), "SELECT union_value(num := 2)::VARCHAR AS un", "--db", db, "--csv");
        Assert.Equal(0, cast.Code);
        Assert.Equal("un\r\n2\r\n", cast.Out);
    }

    [Fact]
    public void Sql_lists_holding_NULL_print_it_and_text_without_a_statement_says_so()
    {
        using var dir = new TempDir();
        var db = ResultsData.Populate(dir, 1);
        const string sql = "SELECT [1, NULL] AS i, [NULL, TIMESTAMP '2024-05-20 10:30:01'] AS t, [1.5::DOUBLE, NULL] AS d, ['a', NULL] AS s";

        var table = Invoke(SqlCommand.Create(), sql, "--db", db);
        Assert.Equal(0, table.Code);
        Assert.Contains("[1, NULL] | [NULL, 2024-05-20 10:30:01] | [1.5, NULL] | [a, NULL]", table.Out);

        var json = Invoke(SqlCommand.Create(), sql, "--db", db, "--json");
        Assert.Equal(0, json.Code);
        Assert.Equal("""{"i":[1,null],"t":[null,"2024-05-20T10:30:01"],"d":[1.5,null],"s":["a",null]}""", json.Out.Trim());

        // A BLOB is read out of the result's chunk while it is there, not after (it came out as zeros).
        var blobs = Invoke(SqlCommand.Create(), "SELECT 'xy'::BLOB AS b, ['z'::BLOB, NULL] AS l, [NULL, 'z'::BLOB] AS n FROM range(3000)", "--db", db, "--csv");
        Assert.Equal(0, blobs.Code);
        Assert.All(blobs.Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1), l => Assert.Equal("7879,\"[7A, NULL]\",\"[NULL, 7A]\"", l));

        var intervals = Invoke(SqlCommand.Create(), "SELECT [INTERVAL 1 DAY, NULL] AS i", "--db", db, "--json");
        Assert.Equal(0, intervals.Code);
        Assert.Equal("""{"i":["1.00:00:00",null]}""", intervals.Out.Trim());

        var nested = Invoke(SqlCommand.Create(), "SELECT [[1, NULL]] AS n", "--db", db);
        Assert.Equal(2, nested.Code);
        Assert.Contains("cast it in the query", nested.Err);

        foreach (var empty in new[] { ";", "-- a comment" })
        {
            var none = Invoke(SqlCommand.Create(), empty, "--db", db);
            Assert.Equal(2, none.Code);
            Assert.Contains("no SQL statement to run", none.Err);
        }
    }

    [Fact]
    public void Query_list_run_and_unknown()
    {
        using var dir = new TempDir();
        var db = ResultsData.Populate(dir, 50);

        var list = Invoke(QueryCommand.Create(), "--list");
        Assert.Equal(0, list.Code);
        Assert.Matches(@"(?m)^top-hosts\s+\S", list.Out);
        Assert.Contains("contexts-per-host", list.Out);

        var run = Invoke(QueryCommand.Create(), "top-hosts", "--db", db, "--json");
        Assert.Equal(0, run.Code);
        var first = JsonDocument.Parse(run.Out.Split('\n')[0]).RootElement;
        Assert.Equal(JsonValueKind.Number, first.GetProperty("hits").ValueKind);

        var unknown = Invoke(QueryCommand.Create(), "no-such-query", "--db", db);
        Assert.Equal(2, unknown.Code);
        Assert.StartsWith("crawlgrep: query: unknown query 'no-such-query' (available: ", unknown.Err);
        Assert.Contains("top-hosts", unknown.Err);
    }

    [Fact]
    public void Query_looks_in_given_folders_first()
    {
        using var dir = new TempDir();
        var db = ResultsData.Populate(dir, 5);
        var folder = Directory.CreateDirectory(dir.File("queries")).FullName;
        File.WriteAllText(Path.Combine(folder, "count.sql"), "-- Count the hits.\nSELECT count(*) AS n FROM hits;\n");
        var command = QueryCommand.Create([folder, SqlAndExportTests.QueriesFolder()]);
        var r = Invoke(command, "count", "--db", db, "--csv");
        Assert.Equal(0, r.Code);
        Assert.Equal("n\r\n10\r\n", r.Out);
        Assert.Contains("Count the hits.", Invoke(QueryCommand.Create([folder]), "--list").Out);
    }

    [Fact]
    public void Export_command_infers_format_and_filters_scan()
    {
        using var dir = new TempDir();
        var db = ResultsData.Populate(dir, 7);
        var parquet = dir.File("out.parquet");
        var r = Invoke(ExportCommand.Create(), parquet, "--scan", "2", "--db", db);
        Assert.Equal(0, r.Code);
        Assert.Contains("7 hits", r.Err);
        Assert.True(File.Exists(parquet));

        var csv = Invoke(ExportCommand.Create(), dir.File("out.txt"), "--format", "csv", "--db", db);
        Assert.Equal(0, csv.Code);
        Assert.StartsWith("scan_id,crawl,file,", File.ReadAllText(dir.File("out.txt")));

        var unknown = Invoke(ExportCommand.Create(), dir.File("out.bin"), "--db", db);
        Assert.Equal(2, unknown.Code);
        Assert.StartsWith("crawlgrep: export: ", unknown.Err);
    }
}
