using System.Xml.Linq;
using ScenarioKit.Cli.Graph;
using ScenarioKit.Cli.Graph.Picture;
using ScenarioKit.Cli.Tests.Support;
using ScenarioKit.Language;

namespace ScenarioKit.Cli.Tests.Graph.Picture;

/// <summary>Structural checks of the drawn diagram: everything the graph holds is drawn, once, inside the picture.</summary>
public sealed class SvgDiagramTests
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Theory]
    [InlineData("reference-support")]
    [InlineData("retail-support")]
    [InlineData("telecom-support")]
    public void Every_node_cluster_and_edge_of_the_graph_is_drawn_inside_the_picture(string scenario)
    {
        var compiled = ScenarioCompiler.Compile(RepoPaths.Combine("scenarios", scenario));
        Assert.True(compiled.Success, string.Join("\n", compiled.Diagnostics));
        var graph = FlowGraphBuilder.Build(compiled.Package!.Model);
        var layout = DiagramLayout.Compute(graph);
        var svg = XDocument.Parse(SvgWriter.Write(graph, layout, traffic: null));

        var groups = svg.Descendants(Svg + "g").ToList();
        var nodeIds = groups.Where(g => Class(g).StartsWith("node ", StringComparison.Ordinal)).Select(g => (string)g.Attribute("data-id")!).ToList();
        Assert.Equal(graph.Nodes.Select(n => n.Id).Order(StringComparer.Ordinal), nodeIds.Order(StringComparer.Ordinal));
        Assert.Equal(graph.Clusters.Select(c => c.Id).Order(StringComparer.Ordinal),
            groups.Where(g => Class(g) == "cluster").Select(g => (string)g.Attribute("data-cluster")!).Order(StringComparer.Ordinal));
        Assert.Equal(graph.Edges.Select(e => e.From + ">" + e.To),
            groups.Where(g => Class(g) == "edge").Select(g => (string)g.Attribute("data-from")! + ">" + (string)g.Attribute("data-to")!));

        // Every step, flow trigger, stage, proactive rule, handoff rule and queue of the model has its node.
        var refs = groups.Select(g => (string?)g.Attribute("data-ref")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var model = compiled.Package.Model;
        foreach (var step in ScenarioKit.Model.StepTree.AllSteps(model)) Assert.Contains("step:" + step.Id, refs);
        foreach (var flow in model.Flows.Where(f => f.Trigger is not null)) Assert.Contains("flow:" + flow.Name, refs);
        foreach (var stage in model.Journey) Assert.Contains("stage:" + stage.Name, refs);
        foreach (var rule in model.Journey.SelectMany(s => s.Proactive)) Assert.Contains("proactive:" + rule.Id, refs);
        foreach (var rule in model.Handoff.Rules) Assert.Contains("rule:" + rule.Id, refs);
        foreach (var queue in model.Handoff.Queues) Assert.Contains("queue:" + queue.Name, refs);

        // Laid out: inside the canvas, no two nodes overlap, each node inside its cluster's frame.
        var nodes = layout.Nodes.ToDictionary(n => n.Node.Id, n => n.Box);
        foreach (var box in nodes.Values)
            Assert.True(box.X >= 0 && box.Y >= 0 && box.X + box.Width <= layout.Width && box.Y + box.Height <= layout.Height, $"{box} outside {layout.Width}x{layout.Height}");
        var boxes = nodes.ToList();
        for (var i = 0; i < boxes.Count; i++)
            for (var j = i + 1; j < boxes.Count; j++)
                Assert.False(Overlap(boxes[i].Value, boxes[j].Value), $"{boxes[i].Key} overlaps {boxes[j].Key}");
        foreach (var cluster in layout.Clusters)
            foreach (var node in graph.Nodes.Where(n => n.Cluster == cluster.Cluster.Id))
                Assert.True(Inside(nodes[node.Id], cluster.Box), $"{node.Id} outside cluster {cluster.Cluster.Id}");
    }

    [Fact]
    public void Text_is_escaped_and_Japanese_is_measured_one_em_per_character()
    {
        Assert.Equal(TextMetrics.FontSize * 5, TextMetrics.LineWidth("ご注文番号"));
        Assert.True(TextMetrics.LineWidth("order") < TextMetrics.LineWidth("ご注文番号"));
        Assert.Equal("a &lt; b &amp;&amp; c &gt; &quot;d&quot;", SvgWriter.X("a < b && c > \"d\"\u0001"));
    }

    static string Class(XElement element) => (string?)element.Attribute("class") ?? "";

    static bool Overlap(Box a, Box b) => a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height;

    static bool Inside(Box inner, Box outer) =>
        inner.X >= outer.X - 0.5 && inner.Y >= outer.Y - 0.5 && inner.X + inner.Width <= outer.X + outer.Width + 0.5 && inner.Y + inner.Height <= outer.Y + outer.Height + 0.5;
}
