using System.Collections.Immutable;

namespace ScenarioKit.Cli.Graph;

internal enum NodeShape
{
    Start,      // where a conversation begins
    Stage,      // a journey stage
    Trigger,    // an intent or event that starts something
    Step,       // say, call, set, end
    Ask,        // waits for the customer
    Decision,   // if, a handoff rule
    Jump,       // goto
    Handoff,    // a handoff step
    Queue,      // a human queue
    Note,       // shared context, out-of-hours
}

internal enum EdgeStyle { Solid, Dotted, Thick }

/// <summary>What a node stands for in the scenario, so stored traffic (step ids, flow, stage, rule names) can be laid on it.</summary>
internal enum GraphRefKind { Step, Flow, Stage, Proactive, Rule, Queue }

internal readonly record struct GraphRef(GraphRefKind Kind, string Key);

internal sealed record GraphNode(string Id, string Label, NodeShape Shape, string? Cluster)
{
    public GraphRef? Ref { get; init; }
}

internal sealed record GraphEdge(string From, string To, string? Label, EdgeStyle Style);

internal sealed record GraphCluster(string Id, string Label);

/// <summary>A renderer-neutral picture of a scenario; <see cref="MermaidWriter"/> and <see cref="DotWriter"/> print it.</summary>
internal sealed record FlowGraph(
    string Title,
    ImmutableArray<GraphCluster> Clusters,
    ImmutableArray<GraphNode> Nodes,
    ImmutableArray<GraphEdge> Edges);
