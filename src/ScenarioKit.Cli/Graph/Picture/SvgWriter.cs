using System.Globalization;
using System.Security;
using System.Text;
using static ScenarioKit.Cli.Graph.Picture.DiagramLayout;

namespace ScenarioKit.Cli.Graph.Picture;

/// <summary>
/// Draws a laid-out <see cref="FlowGraph"/> as standalone SVG: clusters as framed groups, one shape per
/// <see cref="NodeShape"/>, edges as splines with arrowheads and labels, and with a <see cref="TrafficOverlay"/> a
/// count line per node, hot spots filled by <see cref="Heat"/> and edges as thick as their traffic.
/// Every node, cluster and edge is a <c>g</c> with data attributes naming what it stands for, so tests and scripts can find them.
/// </summary>
internal static class SvgWriter
{
    /// <summary>Fonts with Japanese glyphs first (IPA on Debian, Noto, the macOS and Windows ones), then any sans-serif.</summary>
    public const string FontFamily = "'IPAPGothic', 'IPAGothic', 'Noto Sans CJK JP', 'Noto Sans JP', 'Hiragino Sans', 'Yu Gothic', Meiryo, sans-serif";

    public static readonly IReadOnlyDictionary<Heat, (string Fill, string Stroke, string Caption)> HeatColours = new Dictionary<Heat, (string, string, string)>
    {
        [Heat.Unused] = ("#f1f1f1", "#b0b0b0", "never reached"),
        [Heat.Used] = ("#e3f4e1", "#3c8d40", "reached"),
        [Heat.Warm] = ("#ffe7b3", "#d08700", $"drop-off ≥ {TrafficOverlay.WarmDropOff:0%}"),
        [Heat.Hot] = ("#f9c0bb", "#c0392b", $"drop-off ≥ {TrafficOverlay.HotDropOff:0%}"),
    };

    public static string Write(FlowGraph graph, DiagramLayout layout, TrafficOverlay? traffic)
    {
        var sb = new StringBuilder(64 * 1024);
        sb.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{F(layout.Width)}" height="{F(layout.Height)}" viewBox="0 0 {F(layout.Width)} {F(layout.Height)}" role="img" aria-label="{X(graph.Title)}" class="scenariokit-diagram">""").Append('\n');
        sb.Append("<title>").Append(X(graph.Title)).Append("</title>\n");
        sb.Append("<style>\n")
          .Append("  .scenariokit-diagram text { font-family: ").Append(FontFamily).Append("; fill: #1d1d1f; }\n")
          .Append("  .scenariokit-diagram .label { font-size: ").Append(F(TextMetrics.FontSize)).Append("px; }\n")
          .Append("  .scenariokit-diagram .traffic { font-size: ").Append(F(TextMetrics.FontSize - 1)).Append("px; fill: #444; }\n")
          .Append("  .scenariokit-diagram .edge-label { font-size: ").Append(F(TextMetrics.FontSize - 2)).Append("px; fill: #333; }\n")
          .Append("  .scenariokit-diagram .cluster-label { font-size: ").Append(F(TextMetrics.FontSize + 1)).Append("px; font-weight: bold; fill: #555; }\n")
          .Append("</style>\n");
        sb.Append("""<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>""").Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"""<rect width="{F(layout.Width)}" height="{F(layout.Height)}" fill="#ffffff"/>""").Append('\n');

        foreach (var cluster in layout.Clusters)
            WriteCluster(sb, cluster);
        var maxEdge = traffic?.MaxEdgeCount ?? 0;
        foreach (var edge in layout.Edges)
            WriteEdge(sb, edge, traffic?.ForEdge(edge.Index), maxEdge);
        foreach (var node in layout.Nodes)
            WriteNode(sb, node, traffic);
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    static void WriteCluster(StringBuilder sb, PlacedCluster placed)
    {
        var b = placed.Box;
        var (fill, stroke) = placed.Cluster.Id switch
        {
            "journey" => ("#f3f7ff", "#7a9cd6"),
            "handoff" => ("#fff5f4", "#d98b84"),
            _ => ("#fafafa", "#b8b8b8"),
        };
        sb.Append(CultureInfo.InvariantCulture, $"""<g class="cluster" data-cluster="{X(placed.Cluster.Id)}">""")
          .Append(CultureInfo.InvariantCulture, $"""<rect x="{F(b.X)}" y="{F(b.Y)}" width="{F(b.Width)}" height="{F(b.Height)}" rx="8" fill="{fill}" stroke="{stroke}" stroke-dasharray="6 3"/>""")
          .Append(CultureInfo.InvariantCulture, $"""<text class="cluster-label" x="{F(b.X + 10)}" y="{F(b.Y + TextMetrics.LineHeight + 2)}">{X(placed.Cluster.Label)}</text>""")
          .Append("</g>\n");
    }

    static void WriteEdge(StringBuilder sb, PlacedEdge placed, long? count, long maxCount)
    {
        var edge = placed.Edge;
        var width = edge.Style == EdgeStyle.Thick ? 2.0 : 1.2;
        if (count is > 0 && maxCount > 0)
            width += 5 * Math.Log(1 + count.Value) / Math.Log(1 + maxCount);
        var dash = edge.Style == EdgeStyle.Dotted ? """ stroke-dasharray="5 4" """ : " ";
        var colour = count is 0 ? "#c4c4c4" : "#555";
        sb.Append(CultureInfo.InvariantCulture, $"""<g class="edge" data-from="{X(edge.From)}" data-to="{X(edge.To)}"{(count is { } c ? $" data-count=\"{c}\"" : "")}>""");
        sb.Append(CultureInfo.InvariantCulture, $"""<path d="{placed.Path}" fill="none" stroke="{colour}" stroke-width="{F(width)}"{dash}/>""");
        sb.Append(CultureInfo.InvariantCulture, $"""<line x1="{F(placed.ArrowFrom.X)}" y1="{F(placed.ArrowFrom.Y)}" x2="{F(placed.ArrowTip.X)}" y2="{F(placed.ArrowTip.Y)}" stroke="{colour}" stroke-width="{F(Math.Min(width, 2))}" marker-end="url(#arrow)"/>""");
        var label = edge.Label;
        if (count is { } n)
            label = (label is null ? "" : label + " ") + "×" + n.ToString("#,0", CultureInfo.InvariantCulture);
        if (label is not null)
        {
            var box = placed.LabelBox ?? new Box(placed.ArrowFrom.X + 4, placed.ArrowFrom.Y - 16, 0, 0);
            var lines = label.Split('\n');
            var y = box.CenterY - (lines.Length - 1) * (TextMetrics.FontSize - 2) * 0.6 + (TextMetrics.FontSize - 2) * 0.35;
            sb.Append(CultureInfo.InvariantCulture, $"""<text class="edge-label" x="{F(box.CenterX)}" y="{F(y)}" text-anchor="middle" paint-order="stroke" stroke="#fff" stroke-width="3">""");
            AppendLines(sb, lines, box.CenterX, (TextMetrics.FontSize - 2) * 1.2);
            sb.Append("</text>");
        }
        sb.Append("</g>\n");
    }

    static void WriteNode(StringBuilder sb, PlacedNode placed, TrafficOverlay? traffic)
    {
        var node = placed.Node;
        var b = placed.Box;
        var nodeTraffic = traffic?.For(node);
        var (fill, stroke) = nodeTraffic is { } t ? (HeatColours[t.Heat].Fill, HeatColours[t.Heat].Stroke) : ShapeColours(node.Shape);
        var reference = node.Ref is { } r ? $" data-ref=\"{X(r.Kind.ToString().ToLowerInvariant() + ":" + r.Key)}\"" : "";
        var heat = nodeTraffic is { } h ? $" data-heat=\"{h.Heat.ToString().ToLowerInvariant()}\"" : "";
        sb.Append(CultureInfo.InvariantCulture, $"""<g class="node shape-{node.Shape.ToString().ToLowerInvariant()}" data-id="{X(node.Id)}"{reference}{heat}>""");
        sb.Append("<title>").Append(X(node.Label)).Append(nodeTraffic is { } tt ? "\n" + X(tt.Text) : "").Append("</title>");
        sb.Append(Shape(node.Shape, b, fill, stroke));

        var lines = node.Label.Split('\n');
        var textHeight = lines.Length * TextMetrics.LineHeight;
        // The bottom line of every node is kept for the traffic text (DiagramLayout.NodeSize), drawn or not.
        var top = b.CenterY - (textHeight + TextMetrics.LineHeight) / 2;
        sb.Append(CultureInfo.InvariantCulture, $"""<text class="label" x="{F(b.CenterX)}" y="{F(top + TextMetrics.FontSize)}" text-anchor="middle">""");
        AppendLines(sb, lines, b.CenterX, TextMetrics.LineHeight);
        sb.Append("</text>");
        if (nodeTraffic is { } shown)
            sb.Append(CultureInfo.InvariantCulture, $"""<text class="traffic" x="{F(b.CenterX)}" y="{F(top + textHeight + TextMetrics.FontSize)}" text-anchor="middle">{X(shown.Text)}</text>""");
        sb.Append("</g>\n");
    }

    static void AppendLines(StringBuilder sb, string[] lines, double x, double lineHeight)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"""<tspan x="{F(x)}" dy="{(i == 0 ? "0" : F(lineHeight))}">""")
              .Append(X(lines[i])).Append("</tspan>");
        }
    }

    internal static (string Fill, string Stroke) ShapeColours(NodeShape shape) => shape switch
    {
        NodeShape.Start => ("#e8e8e8", "#555"),
        NodeShape.Stage => ("#dde8fb", "#4a72b8"),
        NodeShape.Trigger => ("#fff4d6", "#b38600"),
        NodeShape.Ask => ("#e4f3ea", "#2e8b57"),
        NodeShape.Decision => ("#ffffff", "#6a5acd"),
        NodeShape.Jump => ("#eef0f4", "#5a6270"),
        NodeShape.Handoff or NodeShape.Queue => ("#fde2e1", "#c0392b"),
        NodeShape.Note => ("#fffbe6", "#b3a36b"),
        _ => ("#ffffff", "#555"),
    };

    /// <summary>The outline for a node kind inside its box: the same vocabulary as the Mermaid and DOT output.</summary>
    internal static string Shape(NodeShape shape, Box b, string fill, string stroke)
    {
        var paint = $"fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.4\"";
        double x = b.X, y = b.Y, w = b.Width, h = b.Height, cx = b.CenterX, cy = b.CenterY, r = x + w, bottom = y + h;
        return shape switch
        {
            NodeShape.Start => $"<ellipse cx=\"{F(cx)}\" cy=\"{F(cy)}\" rx=\"{F(w / 2)}\" ry=\"{F(h / 2)}\" {paint}/>",
            NodeShape.Stage => $"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(w)}\" height=\"{F(h)}\" rx=\"{F(Math.Min(h / 2, 18))}\" {paint}/>",
            NodeShape.Trigger => Polygon(paint, (x, y), (r - 12, y), (r, cy), (r - 12, bottom), (x, bottom)),
            NodeShape.Ask => Polygon(paint, (x + 10, y), (r, y), (r - 10, bottom), (x, bottom)),
            NodeShape.Decision => Polygon(paint, (cx, y), (r, cy), (cx, bottom), (x, cy)),
            NodeShape.Handoff => Polygon(paint, (x + 12, y), (r - 12, y), (r, cy), (r - 12, bottom), (x + 12, bottom), (x, cy)),
            NodeShape.Note => Polygon(paint, (x, y), (r - 10, y), (r, y + 10), (r, bottom), (x, bottom)),
            NodeShape.Jump => $"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(w)}\" height=\"{F(h)}\" {paint}/>"
                + $"<path d=\"M{F(x + 6)},{F(y)} V{F(bottom)} M{F(r - 6)},{F(y)} V{F(bottom)}\" stroke=\"{stroke}\" fill=\"none\"/>",
            NodeShape.Queue => $"<path d=\"M{F(x)},{F(y + 6)} A{F(w / 2)},6 0 0 1 {F(r)},{F(y + 6)} V{F(bottom - 6)} A{F(w / 2)},6 0 0 1 {F(x)},{F(bottom - 6)} Z\" {paint}/>"
                + $"<path d=\"M{F(x)},{F(y + 6)} A{F(w / 2)},6 0 0 0 {F(r)},{F(y + 6)}\" fill=\"none\" stroke=\"{stroke}\"/>",
            _ => $"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(w)}\" height=\"{F(h)}\" rx=\"4\" {paint}/>",
        };
    }

    static string Polygon(string paint, params (double X, double Y)[] points) =>
        "<polygon points=\"" + string.Join(' ', points.Select(p => F(p.X) + "," + F(p.Y))) + "\" " + paint + "/>";

    /// <summary>XML text and attribute escaping; scenario text may hold any of &lt; &amp; " and control characters.</summary>
    internal static string X(string text)
    {
        var escaped = SecurityElement.Escape(text);
        // XML 1.0 forbids most C0 controls even as references; a label never needs them.
        return escaped.Any(c => c < ' ' && c is not '\n' and not '\t') ? new string([.. escaped.Where(c => c >= ' ' || c is '\n' or '\t')]) : escaped;
    }
}
