using System.Xml.Linq;
using ScenarioKit.Cli.Tests.Support;
using ScenarioKit.Storage;

namespace ScenarioKit.Cli.Tests.Commands;

/// <summary><c>graph --format svg|html [--db]</c> end to end: the overlay's numbers are those of a known set of stored turns.</summary>
public sealed class GraphPictureCommandTests : IDisposable
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sk-graph-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Db_overlay_shows_the_stored_traffic_on_nodes_and_edges()
    {
        // Two hours ago: every conversation has been quiet long enough for its waiting step to count as a drop-off.
        var db = await TurnLogDatabase.WriteAsync(_directory.FullName, DateTimeOffset.UtcNow.AddHours(-2), TurnLogDatabase.ReferenceMix());

        var run = await CliHarness.RunAsync("graph", Scenarios.Reference, "--format", "svg", "--db", db);
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var svg = XDocument.Parse(run.Stdout);

        Assert.Equal("reached 4 · retried 1 · dropped 2 (50%)", Traffic(svg, "step:order_status/0"));
        Assert.Equal("hot", Node(svg, "step:order_status/0").Attribute("data-heat")!.Value);
        Assert.Equal("reached 1", Traffic(svg, "step:order_status/1"));
        Assert.Equal("reached 1", Traffic(svg, "step:order_status/2/then/0"));
        Assert.Equal("never reached", Traffic(svg, "step:order_status/2/else/0"));
        Assert.Equal("unused", Node(svg, "step:order_status/2/else/0").Attribute("data-heat")!.Value);
        Assert.Equal("never reached", Traffic(svg, "step:returns/0"));
        Assert.Equal("started 4", Traffic(svg, "flow:order_status"));
        Assert.Equal("started 1", Traffic(svg, "flow:greeting"));
        Assert.Equal("fired 1", Traffic(svg, "rule:asked-for-human"));

        Assert.Equal("1", EdgeCount(svg, "step:order_status/0", "step:order_status/1"));
        Assert.Equal("0", EdgeCount(svg, "step:order_status/0", "step:order_status/0/onFail/0"));
        Assert.Equal("4", EdgeCount(svg, "flow:order_status", "step:order_status/0"));
        Assert.Equal("1", EdgeCount(svg, "rule:asked-for-human", "queue:support"));
    }

    [Fact]
    public async Task Html_is_one_offline_page_with_the_svg_a_legend_and_pan_zoom()
    {
        var db = await TurnLogDatabase.WriteAsync(_directory.FullName, DateTimeOffset.UtcNow.AddHours(-2), TurnLogDatabase.ReferenceMix());
        var output = Path.Combine(_directory.FullName, "flow.html");

        var run = await CliHarness.RunAsync("graph", Scenarios.Reference, "--format", "html", "--db", db, "-o", output);
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var html = await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", html, StringComparison.Ordinal);
        Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\"", html, StringComparison.Ordinal);
        Assert.Contains("drop-off ≥ 25%", html, StringComparison.Ordinal);
        Assert.Contains("5 conversations", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mermaid")]
    [InlineData("dot")]
    public async Task Db_with_a_text_format_is_a_usage_error(string format)
    {
        var run = await CliHarness.RunAsync("graph", Scenarios.Reference, "--format", format, "--db", "x.db");
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--format svg or html", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_database_is_an_error_not_a_new_file()
    {
        var db = Path.Combine(_directory.FullName, "missing.db");
        var run = await CliHarness.RunAsync("graph", Scenarios.Reference, "--format", "svg", "--db", db);
        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("no ScenarioKit database at " + db, run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(db));
    }

    static XElement Node(XDocument svg, string reference) =>
        svg.Descendants(Svg + "g").Single(g => (string?)g.Attribute("data-ref") == reference);

    static string Traffic(XDocument svg, string reference) =>
        Node(svg, reference).Elements(Svg + "text").Single(t => (string?)t.Attribute("class") == "traffic").Value;

    static string? EdgeCount(XDocument svg, string from, string to)
    {
        var fromId = (string)Node(svg, from).Attribute("data-id")!;
        var toId = (string)Node(svg, to).Attribute("data-id")!;
        return (string?)svg.Descendants(Svg + "g").Single(g => (string?)g.Attribute("data-from") == fromId && (string?)g.Attribute("data-to") == toId).Attribute("data-count");
    }
}
