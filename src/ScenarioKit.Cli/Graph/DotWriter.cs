using System.Text;

namespace ScenarioKit.Cli.Graph;

/// <summary>Prints a <see cref="FlowGraph"/> in Graphviz DOT (<c>dot -Tsvg</c>).</summary>
internal static class DotWriter
{
    public static string Write(FlowGraph graph)
    {
        var sb = new StringBuilder();
        sb.Append("digraph ").Append(Quote(graph.Title)).Append(" {\n");
        sb.Append("  graph [rankdir=TB, fontname=\"sans-serif\", label=").Append(Quote(graph.Title)).Append(", labelloc=t];\n");
        sb.Append("  node [fontname=\"sans-serif\", fontsize=11];\n");
        sb.Append("  edge [fontname=\"sans-serif\", fontsize=10];\n");
        foreach (var node in graph.Nodes.Where(n => n.Cluster is null))
            sb.Append("  ").Append(NodeText(node)).Append('\n');
        foreach (var cluster in graph.Clusters)
        {
            sb.Append("  subgraph ").Append(Quote("cluster_" + cluster.Id)).Append(" {\n");
            sb.Append("    label=").Append(Quote(cluster.Label)).Append(";\n");
            if (cluster.Id == "journey")
                sb.Append("    rank=same;\n");
            foreach (var node in graph.Nodes.Where(n => n.Cluster == cluster.Id))
                sb.Append("    ").Append(NodeText(node)).Append('\n');
            sb.Append("  }\n");
        }
        foreach (var edge in graph.Edges)
        {
            sb.Append("  ").Append(Quote(edge.From)).Append(" -> ").Append(Quote(edge.To));
            var attributes = new List<string>(2);
            if (edge.Label is { } label) attributes.Add("label=" + Quote(label));
            if (edge.Style == EdgeStyle.Dotted) attributes.Add("style=dashed");
            if (edge.Style == EdgeStyle.Thick) attributes.Add("penwidth=2");
            if (attributes.Count > 0)
                sb.Append(" [").Append(string.Join(", ", attributes)).Append(']');
            sb.Append(";\n");
        }
        sb.Append("}\n");
        return sb.ToString();
    }

    static string NodeText(GraphNode node)
    {
        var shape = node.Shape switch
        {
            NodeShape.Start => "circle",
            NodeShape.Stage => "box, style=rounded",
            NodeShape.Trigger => "cds",
            NodeShape.Ask => "parallelogram",
            NodeShape.Decision => "diamond",
            NodeShape.Jump => "component",
            NodeShape.Handoff => "hexagon, style=filled, fillcolor=\"#fde2e1\"",
            NodeShape.Queue => "cylinder, style=filled, fillcolor=\"#fde2e1\"",
            NodeShape.Note => "note",
            _ => "box",
        };
        return Quote(node.Id) + " [label=" + Quote(node.Label) + ", shape=" + shape + "];";
    }

    /// <summary>A DOT quoted string: backslash and quote escaped, line breaks as <c>\n</c> (centred lines).</summary>
    internal static string Quote(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '"': sb.Append("\\\""); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"').ToString();
    }
}
