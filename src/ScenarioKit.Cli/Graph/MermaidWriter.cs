using System.Text;

namespace ScenarioKit.Cli.Graph;

/// <summary>Prints a <see cref="FlowGraph"/> as a Mermaid flowchart (renders on GitHub, in VS Code and at mermaid.live).</summary>
internal static class MermaidWriter
{
    public static string Write(FlowGraph graph)
    {
        var sb = new StringBuilder();
        sb.Append("---\ntitle: ").Append(EscapeTitle(graph.Title)).Append("\n---\n");
        sb.Append("flowchart TD\n");

        // Mermaid puts a node in the subgraph where it is first mentioned, so every node is declared
        // (inside its subgraph) before any edge refers to it.
        foreach (var node in graph.Nodes.Where(n => n.Cluster is null))
            sb.Append("  ").Append(NodeText(node)).Append('\n');
        foreach (var cluster in graph.Clusters)
        {
            sb.Append("  subgraph ").Append(cluster.Id).Append("[\"").Append(Escape(cluster.Label)).Append("\"]\n");
            if (cluster.Id == "journey")
                sb.Append("    direction LR\n");
            foreach (var node in graph.Nodes.Where(n => n.Cluster == cluster.Id))
                sb.Append("    ").Append(NodeText(node)).Append('\n');
            sb.Append("  end\n");
        }
        foreach (var edge in graph.Edges)
        {
            var arrow = edge.Style switch { EdgeStyle.Dotted => "-.->", EdgeStyle.Thick => "==>", _ => "-->" };
            sb.Append("  ").Append(edge.From).Append(' ').Append(arrow);
            if (edge.Label is { } label)
                sb.Append("|\"").Append(Escape(label)).Append("\"|");
            sb.Append(' ').Append(edge.To).Append('\n');
        }

        var handoffNodes = graph.Nodes.Where(n => n.Shape is NodeShape.Handoff or NodeShape.Queue).Select(n => n.Id).ToList();
        if (handoffNodes.Count > 0)
        {
            sb.Append("  classDef human fill:#fde2e1,stroke:#c0392b,color:#000\n");
            sb.Append("  class ").Append(string.Join(',', handoffNodes)).Append(" human\n");
        }
        return sb.ToString();
    }

    static string NodeText(GraphNode node)
    {
        var label = Escape(node.Label);
        var (open, close) = node.Shape switch
        {
            NodeShape.Start => ("((\"", "\"))"),
            NodeShape.Stage => ("([\"", "\"])"),
            NodeShape.Trigger => (">\"", "\"]"),
            NodeShape.Ask => ("[/\"", "\"/]"),
            NodeShape.Decision => ("{\"", "\"}"),
            NodeShape.Jump => ("[[\"", "\"]]"),
            NodeShape.Handoff => ("{{\"", "\"}}"),
            NodeShape.Queue => ("[(\"", "\")]"),
            NodeShape.Note => ("(\"", "\")"),
            _ => ("[\"", "\"]"),
        };
        return node.Id + open + label + close;
    }

    /// <summary>
    /// Mermaid labels are quoted strings with HTML-ish entity codes (<c>#quot;</c>, <c>#35;</c>); scenario text
    /// may hold any of those characters, so each is written as an entity and line breaks as <c>&lt;br/&gt;</c>.
    /// </summary>
    internal static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '#': sb.Append("#35;"); break;
                case '"': sb.Append("#quot;"); break;
                case '<': sb.Append("#lt;"); break;
                case '>': sb.Append("#gt;"); break;
                case '&': sb.Append("#amp;"); break;
                case '`': sb.Append("#96;"); break;
                case '|': sb.Append("#124;"); break;
                case '\n': sb.Append("<br/>"); break;
                case '\r': break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    static string EscapeTitle(string title) => "\"" + title.Replace("\"", "'", StringComparison.Ordinal) + "\"";
}
