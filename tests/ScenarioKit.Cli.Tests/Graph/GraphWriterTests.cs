using System.Text.RegularExpressions;
using ScenarioKit.Cli.Graph;
using ScenarioKit.Cli.Tests.Support;

namespace ScenarioKit.Cli.Tests.Graph;

public sealed partial class GraphWriterTests
{
    static readonly FlowGraph Graph = FlowGraphBuilder.Build(TestModels.Shop());

    [GeneratedRegex("""^\s*(?<id>[A-Za-z0-9_]+)(\(\(|\(\[|>|\[/|\{\{|\{|\[\[|\[\(|\(|\[)"(?<label>[^"]*)"(\)\)|\]\)|\]|/\]|\}\}|\}|\]\]|\)\]|\))$""")]
    private static partial Regex MermaidNode();

    [GeneratedRegex("""^\s*(?<from>[A-Za-z0-9_]+) (-->|-\.->|==>)(\|"(?<label>[^"]*)"\|)? (?<to>[A-Za-z0-9_]+)$""")]
    private static partial Regex MermaidEdge();

    [Fact]
    public void Mermaid_output_is_a_flowchart_whose_every_line_parses()
    {
        var lines = MermaidWriter.Write(Graph).ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');

        Assert.Equal(["---", "title: \"shop 1.2.3\"", "---", "flowchart TD"], lines[..4]);
        var declared = new HashSet<string>(StringComparer.Ordinal);
        var depth = 0;
        foreach (var line in lines[4..])
        {
            if (MermaidNode().Match(line) is { Success: true } node)
            {
                Assert.True(declared.Add(node.Groups["id"].Value), "declared twice: " + line);
                continue;
            }
            if (MermaidEdge().Match(line) is { Success: true } edge)
            {
                // Mermaid would silently create an undeclared node outside every subgraph.
                Assert.Contains(edge.Groups["from"].Value, declared);
                Assert.Contains(edge.Groups["to"].Value, declared);
                continue;
            }
            if (line.TrimStart().StartsWith("subgraph ", StringComparison.Ordinal)) { depth++; continue; }
            if (line.Trim() == "end") { depth--; continue; }
            if (line.Trim() is "direction LR" || line.TrimStart().StartsWith("classDef ", StringComparison.Ordinal) || line.TrimStart().StartsWith("class ", StringComparison.Ordinal))
                continue;
            Assert.Fail("unexpected Mermaid line: " + line);
        }
        Assert.Equal(0, depth);
        Assert.Equal(Graph.Nodes.Length, declared.Count);
    }

    [Fact]
    public void Mermaid_labels_escape_quotes_markup_and_keep_japanese()
    {
        var text = MermaidWriter.Write(Graph);

        Assert.Contains("say: 見つかりませんでした #quot;#35;1#quot; #lt;b#gt;", text, StringComparison.Ordinal);
        Assert.Contains("ask order.number<br/>ご注文番号（8桁）を教えてください。", text, StringComparison.Ordinal);
        Assert.Contains("class ", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\"b", "a#quot;b")]
    [InlineData("x|y", "x#124;y")]
    [InlineData("line1\nline2", "line1<br/>line2")]
    [InlineData("`md`", "#96;md#96;")]
    [InlineData("5 > 3 & 2 < 4", "5 #gt; 3 #amp; 2 #lt; 4")]
    public void Mermaid_escape(string raw, string escaped) => Assert.Equal(escaped, MermaidWriter.Escape(raw));

    [Fact]
    public void Dot_output_declares_clusters_nodes_and_edges()
    {
        var text = DotWriter.Write(Graph);

        Assert.StartsWith("digraph \"shop 1.2.3\" {", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        Assert.Contains("subgraph \"cluster_journey\" {", text, StringComparison.Ordinal);
        Assert.Contains("label=\"say: 見つかりませんでした \\\"#1\\\" <b>\"", text, StringComparison.Ordinal);
        Assert.Equal(Graph.Edges.Length, Regex.Count(text, " -> "));
        Assert.Equal(text.Count(c => c == '{'), text.Count(c => c == '}'));
    }

    [Theory]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("a\\b", "\"a\\\\b\"")]
    [InlineData("1\n2", "\"1\\n2\"")]
    public void Dot_quote(string raw, string quoted) => Assert.Equal(quoted, DotWriter.Quote(raw));
}
