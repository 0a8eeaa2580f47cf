using System.Collections.Frozen;
using System.Globalization;
using ScenarioKit.Insight.Traffic;

namespace ScenarioKit.Cli.Graph.Picture;

/// <summary>How much a node is a hot spot: where conversations go quiet.</summary>
internal enum Heat
{
    Unused,     // never reached in the stored conversations
    Used,       // reached; few conversations stop here
    Warm,       // at least WarmDropOff of the conversations that reached it stopped here
    Hot,        // at least HotDropOff stopped here
}

internal sealed record NodeTraffic(string Text, Heat Heat);

/// <summary>
/// Stored traffic (<see cref="ScenarioTraffic"/>) laid on a <see cref="FlowGraph"/>: a count line and a heat per node,
/// a count per edge. Nodes and edges are matched through <see cref="GraphNode.Ref"/>, never through display ids.
/// </summary>
internal sealed class TrafficOverlay
{
    public const double WarmDropOff = 0.10;
    public const double HotDropOff = 0.25;

    readonly FrozenDictionary<string, NodeTraffic> _nodes;
    readonly long[] _edges;

    TrafficOverlay(long conversations, FrozenDictionary<string, NodeTraffic> nodes, long[] edges)
    {
        Conversations = conversations;
        _nodes = nodes;
        _edges = edges;
    }

    public long Conversations { get; }

    public long MaxEdgeCount => _edges.Length == 0 ? 0 : _edges.Max();

    public NodeTraffic? For(GraphNode node) => _nodes.GetValueOrDefault(node.Id);

    /// <summary>The count on the edge at <paramref name="index"/> in <see cref="FlowGraph.Edges"/>, or null when the edge carries no countable traffic.</summary>
    public long? ForEdge(int index) => _edges[index] < 0 ? null : _edges[index];

    public static TrafficOverlay Create(FlowGraph graph, ScenarioTraffic traffic)
    {
        var nodes = new Dictionary<string, NodeTraffic>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            if (node.Ref is { } source && NodeText(source, traffic) is { } text)
                nodes[node.Id] = text;
        }

        var refs = graph.Nodes.Where(n => n.Ref is not null).ToDictionary(n => n.Id, n => n.Ref!.Value, StringComparer.Ordinal);
        var edges = new long[graph.Edges.Length];
        for (var i = 0; i < edges.Length; i++)
        {
            var edge = graph.Edges[i];
            edges[i] = refs.TryGetValue(edge.From, out var from) && refs.TryGetValue(edge.To, out var to) ? EdgeCount(from, to, traffic) : -1;
        }
        return new TrafficOverlay(traffic.Conversations, nodes.ToFrozenDictionary(StringComparer.Ordinal), edges);
    }

    static NodeTraffic? NodeText(GraphRef source, ScenarioTraffic traffic)
    {
        switch (source.Kind)
        {
            case GraphRefKind.Step:
            {
                var reached = traffic.StepsReached.GetValueOrDefault(source.Key);
                if (reached == 0)
                    return new NodeTraffic("never reached", Heat.Unused);
                var text = "reached " + N(reached);
                if (traffic.StepRetries.GetValueOrDefault(source.Key) is > 0 and var retries)
                    text += " · retried " + N(retries);
                var dropped = traffic.DropOffs.GetValueOrDefault(source.Key);
                if (dropped == 0)
                    return new NodeTraffic(text, Heat.Used);
                var rate = traffic.DropOffRate(source.Key);
                text += " · dropped " + N(dropped) + " (" + rate.ToString("0%", CultureInfo.InvariantCulture) + ")";
                return new NodeTraffic(text, rate >= HotDropOff ? Heat.Hot : rate >= WarmDropOff ? Heat.Warm : Heat.Used);
            }
            case GraphRefKind.Flow:
                return Counted("started", traffic.FlowStarts.GetValueOrDefault(source.Key));
            case GraphRefKind.Stage:
                return Counted("conversations", traffic.StagesReached.GetValueOrDefault(source.Key));
            case GraphRefKind.Proactive:
            case GraphRefKind.Rule:
                return Counted("fired", (source.Kind == GraphRefKind.Rule ? traffic.HandoffRules : traffic.ProactiveFired).GetValueOrDefault(source.Key));
            default:
                return null;
        }

        static NodeTraffic Counted(string what, long count) =>
            count == 0 ? new NodeTraffic(what + " 0", Heat.Unused) : new NodeTraffic(what + " " + N(count), Heat.Used);
    }

    static long EdgeCount(GraphRef from, GraphRef to, ScenarioTraffic traffic) => (from.Kind, to.Kind) switch
    {
        (GraphRefKind.Step, GraphRefKind.Step) => traffic.StepTransitions.GetValueOrDefault(new Transition(from.Key, to.Key)),
        (GraphRefKind.Stage, GraphRefKind.Stage) => traffic.StageTransitions.GetValueOrDefault(new Transition(from.Key, to.Key)),
        (GraphRefKind.Flow, _) => traffic.FlowStarts.GetValueOrDefault(from.Key),
        (GraphRefKind.Stage, GraphRefKind.Proactive) => traffic.ProactiveFired.GetValueOrDefault(to.Key),
        (GraphRefKind.Rule, GraphRefKind.Queue) => traffic.HandoffRules.GetValueOrDefault(from.Key),
        _ => -1,
    };

    static string N(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
