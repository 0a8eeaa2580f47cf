using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.Msagl.Core.Geometry;
using Microsoft.Msagl.Core.Geometry.Curves;
using Microsoft.Msagl.Core.Layout;
using Microsoft.Msagl.Core.Routing;
using Microsoft.Msagl.Layout.Layered;
using Microsoft.Msagl.Miscellaneous;
using Microsoft.Msagl.Routing;
using MsaglEdge = Microsoft.Msagl.Core.Layout.Edge;
using MsaglNode = Microsoft.Msagl.Core.Layout.Node;

namespace ScenarioKit.Cli.Graph.Picture;

internal readonly record struct Box(double X, double Y, double Width, double Height)
{
    public double CenterX => X + Width / 2;
    public double CenterY => Y + Height / 2;
}

internal sealed record PlacedNode(GraphNode Node, Box Box);

internal sealed record PlacedCluster(GraphCluster Cluster, Box Box);

/// <summary>An edge as SVG path data (<see cref="Path"/>), the arrow's tip and the point it leaves the path, and its label's box.</summary>
internal sealed record PlacedEdge(GraphEdge Edge, int Index, string Path, (double X, double Y) ArrowFrom, (double X, double Y) ArrowTip, Box? LabelBox);

/// <summary>A <see cref="FlowGraph"/> with coordinates (y grows downward, origin at the top left, in CSS pixels).</summary>
internal sealed record DiagramLayout(double Width, double Height, ImmutableArray<PlacedCluster> Clusters, ImmutableArray<PlacedNode> Nodes, ImmutableArray<PlacedEdge> Edges)
{
    const double Margin = 24;
    const double PadX = 12;
    const double PadY = 8;

    /// <summary>
    /// Lays the graph out top to bottom with MSAGL's layered (Sugiyama) layout: each cluster (journey, a flow, handoff)
    /// is laid out on its own, then the clusters and free nodes together; edges between clusters are routed as splines.
    /// </summary>
    public static DiagramLayout Compute(FlowGraph graph)
    {
        var geometry = new GeometryGraph();
        var nodes = new Dictionary<string, MsaglNode>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            var (width, height) = NodeSize(node);
            var shape = new MsaglNode(CurveFactory.CreateRectangle(width, height, new Point()), node);
            nodes[node.Id] = shape;
            geometry.Nodes.Add(shape);
        }

        var clusters = new Dictionary<string, Cluster>(StringComparer.Ordinal);
        foreach (var cluster in graph.Clusters)
        {
            var members = graph.Nodes.Where(n => n.Cluster == cluster.Id).Select(n => nodes[n.Id]).ToList();
            if (members.Count == 0)
                continue;
            var labelWidth = TextMetrics.LineWidth(cluster.Label, TextMetrics.FontSize + 1) + 2 * PadX;
            var box = new Cluster(members)
            {
                UserData = cluster,
                RectangularBoundary = new RectangularClusterBoundary
                {
                    LeftMargin = PadX, RightMargin = PadX, BottomMargin = PadY, TopMargin = PadY,
                    MinWidth = labelWidth, MinHeight = 40,
                },
            };
            box.RectangularBoundary.TopMargin = TextMetrics.LineHeight + 2 * PadY;
            box.BoundaryCurve = CurveFactory.CreateRectangle(labelWidth, 40, new Point());
            geometry.RootCluster.AddChild(box);
            clusters[cluster.Id] = box;
        }

        var edges = new List<MsaglEdge>(graph.Edges.Length);
        foreach (var edge in graph.Edges)
        {
            var shape = new MsaglEdge(nodes[edge.From], nodes[edge.To]) { UserData = edge };
            if (edge.Label is { } label)
            {
                var (width, height) = TextMetrics.Measure(label, TextMetrics.FontSize - 2);
                shape.Label = new Label(width + 6, height + 2, shape);
                shape.Labels.Add(shape.Label);
            }
            shape.EdgeGeometry.TargetArrowhead = new Arrowhead { Length = 8 };
            edges.Add(shape);
            geometry.Edges.Add(shape);
        }

        var settings = new SugiyamaLayoutSettings
        {
            NodeSeparation = 24,
            LayerSeparation = 36,
            ClusterMargin = 16,
        };
        settings.EdgeRoutingSettings.EdgeRoutingMode = EdgeRoutingMode.Spline;
        LayoutHelpers.CalculateLayout(geometry, settings, null);
        // The layered layout of each cluster is moved into place afterwards, and some of its edge curves and labels
        // stay behind: route every edge again over the final positions (MSAGL's spline router knows the clusters).
        new SplineRouter(geometry, settings.EdgeRoutingSettings).Run();
        var labels = edges.ToDictionary(e => e, PlaceLabel);

        // MSAGL's y axis points up; SVG's points down. Flip around the bounding box and shift by the margin.
        var bounds = new Rectangle(geometry.Nodes.Select(n => n.BoundingBox)
            .Concat(clusters.Values.Select(c => c.BoundingBox))
            .Concat(edges.Select(e => e.Curve.BoundingBox))
            .Concat(labels.Values.OfType<Rectangle>()));
        Point ToSvg(Point p) => new(p.X - bounds.Left + Margin, bounds.Top - p.Y + Margin);
        Box BoxOf(Rectangle r) => new(r.Left - bounds.Left + Margin, bounds.Top - r.Top + Margin, r.Width, r.Height);

        var placedClusters = graph.Clusters.Where(c => clusters.ContainsKey(c.Id))
            .Select(c => new PlacedCluster(c, BoxOf(clusters[c.Id].BoundingBox))).ToImmutableArray();
        var placedNodes = graph.Nodes.Select(n => new PlacedNode(n, BoxOf(nodes[n.Id].BoundingBox))).ToImmutableArray();
        var placedEdges = edges.Select((e, i) =>
        {
            var tip = e.EdgeGeometry.TargetArrowhead?.TipPosition ?? e.Curve.End;
            var label = labels[e] is { } l ? BoxOf(l) : (Box?)null;
            var from = ToSvg(e.Curve.End);
            var to = ToSvg(tip);
            return new PlacedEdge((GraphEdge)e.UserData, i, PathData(e.Curve, ToSvg), (from.X, from.Y), (to.X, to.Y), label);
        }).ToImmutableArray();
        return new DiagramLayout(bounds.Width + 2 * Margin, bounds.Height + 2 * Margin, placedClusters, placedNodes, placedEdges);
    }

    /// <summary>An edge's label beside the middle of its curve (right of it, as Graphviz does).</summary>
    static Rectangle? PlaceLabel(MsaglEdge edge)
    {
        if (edge.Label is not { } label)
            return null;
        var middle = edge.Curve[(edge.Curve.ParStart + edge.Curve.ParEnd) / 2];
        return new Rectangle(middle.X + 4, middle.Y + label.Height / 2, middle.X + 4 + label.Width, middle.Y - label.Height / 2);
    }

    /// <summary>The size a node's shape needs around its label: diamonds and hexagons need room at their points.</summary>
    internal static (double Width, double Height) NodeSize(GraphNode node)
    {
        var (textWidth, textHeight) = TextMetrics.Measure(node.Label);
        var width = textWidth + 2 * PadX;
        var height = textHeight + 2 * PadY + TrafficLine;
        return node.Shape switch
        {
            NodeShape.Decision => (width * 1.3 + 16, height * 1.5),
            NodeShape.Start => (Math.Max(width, height) * 1.15, Math.Max(height, 36)),
            NodeShape.Handoff or NodeShape.Trigger => (width + 24, height),
            NodeShape.Ask => (width + 20, height),
            NodeShape.Queue => (width, height + 12),
            _ => (width, height),
        };
    }

    /// <summary>Room under every label for the traffic line of the <c>--db</c> overlay, so both pictures share one layout.</summary>
    const double TrafficLine = TextMetrics.LineHeight;

    static string PathData(ICurve curve, Func<Point, Point> map)
    {
        var sb = new StringBuilder();
        var start = map(curve.Start);
        sb.Append('M').Append(F(start.X)).Append(',').Append(F(start.Y));
        foreach (var segment in Segments(curve))
        {
            switch (segment)
            {
                case CubicBezierSegment bezier:
                    var b1 = map(bezier.B(1)); var b2 = map(bezier.B(2)); var b3 = map(bezier.B(3));
                    sb.Append(" C").Append(F(b1.X)).Append(',').Append(F(b1.Y)).Append(' ')
                      .Append(F(b2.X)).Append(',').Append(F(b2.Y)).Append(' ')
                      .Append(F(b3.X)).Append(',').Append(F(b3.Y));
                    break;
                case Polyline polyline:
                    foreach (var point in polyline.Skip(1))
                    {
                        var p = map(point);
                        sb.Append(" L").Append(F(p.X)).Append(',').Append(F(p.Y));
                    }
                    break;
                default:
                    // Lines, and any other segment kind approximated by its end (MSAGL's splines are lines and Béziers).
                    var end = map(segment.End);
                    sb.Append(" L").Append(F(end.X)).Append(',').Append(F(end.Y));
                    break;
            }
        }
        return sb.ToString();
    }

    static IEnumerable<ICurve> Segments(ICurve curve) => curve is Curve composite ? composite.Segments : [curve];

    internal static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
