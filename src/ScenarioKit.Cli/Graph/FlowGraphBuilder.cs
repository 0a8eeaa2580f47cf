using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ScenarioKit.Model;

namespace ScenarioKit.Cli.Graph;

/// <summary>
/// Turns a compiled scenario into a <see cref="FlowGraph"/>: the journey (stages in order, the events that
/// enter them, proactive rules), every flow as a cluster of its steps with branches and jumps, and the
/// handoff rules in the order they are checked with the queues they route to.
/// </summary>
internal sealed class FlowGraphBuilder
{
    const int MaxLabelTextElements = 48;
    const string JourneyCluster = "journey";
    const string HandoffCluster = "handoff";

    readonly ScenarioModel _model;
    readonly NodeIds _ids = new();
    readonly List<GraphCluster> _clusters = [];
    readonly List<GraphNode> _nodes = [];
    readonly List<GraphEdge> _edges = [];
    readonly HashSet<string> _flowNames;
    readonly HashSet<string> _stageNames;
    readonly HashSet<string> _queueNames;
    readonly Dictionary<string, string> _stepKeys = new(StringComparer.Ordinal);

    FlowGraphBuilder(ScenarioModel model)
    {
        _model = model;
        _flowNames = model.Flows.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        _stageNames = model.Journey.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        _queueNames = model.Handoff.Queues.Select(q => q.Name).ToHashSet(StringComparer.Ordinal);
    }

    public static FlowGraph Build(ScenarioModel model)
    {
        var builder = new FlowGraphBuilder(model);
        builder.AddStart();
        builder.AddJourney();
        foreach (var flow in model.Flows)
            builder.AddFlow(flow);
        builder.AddHandoff();
        return new FlowGraph($"{model.Id} {model.Version}", [.. builder._clusters], [.. builder._nodes], [.. builder._edges]);
    }

    void AddStart()
    {
        var label = _model.Welcome is { } welcome ? "start\nwelcome: " + MessageText(welcome) : "start";
        var start = Node("start", "", label, NodeShape.Start, cluster: null);
        if (!_model.Journey.IsDefaultOrEmpty)
            Edge(start, StageId(_model.Journey[0].Name), null, EdgeStyle.Solid);
        if (_model.Fallback is { } fallback)
            Node("note", "fallback", "not understood: " + MessageText(fallback), NodeShape.Note, cluster: null);
    }

    void AddJourney()
    {
        if (_model.Journey.IsDefaultOrEmpty)
            return;
        _clusters.Add(new GraphCluster(JourneyCluster, "journey"));
        string? previous = null;
        foreach (var stage in _model.Journey)
        {
            var id = Node("stage", stage.Name, "stage " + stage.Name, NodeShape.Stage, JourneyCluster, new(GraphRefKind.Stage, stage.Name));
            if (previous is not null)
                Edge(previous, id, "next", EdgeStyle.Thick);
            previous = id;
        }

        foreach (var stage in _model.Journey)
        {
            var stageId = StageId(stage.Name);
            for (var i = 0; i < stage.EntersOn.Length; i++)
            {
                var trigger = stage.EntersOn[i];
                var eventId = Node("enters", $"{stage.Name}/{i}", "event " + EventText(trigger), NodeShape.Trigger, cluster: null);
                Edge(eventId, stageId, "enters", EdgeStyle.Solid);
            }
            foreach (var rule in stage.Proactive)
            {
                var label = new StringBuilder("proactive ").Append(rule.Id);
                if (rule.Say is { } say)
                    label.Append("\nsay: ").Append(MessageText(say));
                if (rule.Cap.Kind != CapKind.None)
                    label.Append("\ncap: ").Append(CapText(rule.Cap));
                var ruleId = Node("proactive", stage.Name + "/" + rule.Id, label.ToString(), NodeShape.Trigger, cluster: null, new(GraphRefKind.Proactive, rule.Id));
                Edge(stageId, ruleId, "on " + EventText(rule.On), EdgeStyle.Dotted);
                if (rule.Flow is { } flow)
                    Edge(ruleId, FlowEntry(flow), "starts", EdgeStyle.Solid);
            }
        }
    }

    void AddFlow(FlowDef flow)
    {
        var cluster = _ids.Get("flow", flow.Name);
        _clusters.Add(new GraphCluster(cluster, "flow " + flow.Name));
        if (flow.Trigger is { } trigger)
        {
            var text = trigger.Intent is { } intent ? "intent " + intent
                : trigger.Event is { } e ? "event " + EventText(e)
                : "trigger";
            var triggerId = Node("trigger", flow.Name, text, NodeShape.Trigger, cluster: null, new(GraphRefKind.Flow, flow.Name));
            Edge(triggerId, FlowEntry(flow.Name), null, EdgeStyle.Solid);
        }

        if (flow.Steps.IsDefaultOrEmpty)
        {
            Node("empty", flow.Name, "(no steps)", NodeShape.Step, cluster);
            return;
        }
        AddSequence(flow.Steps, [], cluster);
    }

    /// <summary>Adds steps in order; <paramref name="incoming"/> are the open ends that continue into the first one.</summary>
    /// <returns>The open ends after the last step: where the flow would continue.</returns>
    List<OpenEnd> AddSequence(ImmutableArray<Step> steps, List<OpenEnd> incoming, string cluster)
    {
        var open = incoming;
        foreach (var step in steps)
        {
            var id = StepId(step);
            foreach (var end in open)
                Edge(end.From, id, end.Label, EdgeStyle.Solid);
            open = AddStep(step, id, cluster);
        }
        return open;
    }

    List<OpenEnd> AddStep(Step step, string id, string cluster)
    {
        switch (step)
        {
            case SayStep sayStep:
                AddNode(id, "say: " + MessageText(sayStep.Message), NodeShape.Step, cluster);
                return [new(id, null)];

            case AskStep ask:
            {
                var label = new StringBuilder("ask ").Append(ask.Variable).Append('\n').Append(MessageText(ask.Prompt));
                label.Append("\nexpect ").Append(ExpectText(ask.Expect));
                AddNode(id, label.ToString(), NodeShape.Ask, cluster);
                // INVARIANT (model): onFail runs instead of the rest of the flow, so its ends are not continued.
                if (!ask.OnFail.IsDefaultOrEmpty)
                    AddSequence(ask.OnFail, [new(id, $"fails {ask.MaxAttempts}×")], cluster);
                return [new(id, null)];
            }

            case CallStep call:
            {
                var label = "call " + call.Action + (call.Into is { } into ? " → " + into : "");
                AddNode(id, label, NodeShape.Step, cluster);
                var ends = new List<OpenEnd> { new(id, null) };
                if (!call.OnError.IsDefaultOrEmpty)
                    ends.AddRange(AddSequence(call.OnError, [new(id, "error")], cluster));
                return ends;
            }

            case SetStep set:
                AddNode(id, "set " + string.Join(", ", set.Assignments.Select(a => a.Variable + " = " + AssignmentText(a))), NodeShape.Step, cluster);
                return [new(id, null)];

            case IfStep branch:
            {
                AddNode(id, "if " + Shorten(branch.Condition.Source), NodeShape.Decision, cluster);
                var thenEnds = branch.Then.IsDefaultOrEmpty ? [new(id, "then")] : AddSequence(branch.Then, [new(id, "then")], cluster);
                var elseEnds = branch.Else.IsDefaultOrEmpty ? [new(id, "else")] : AddSequence(branch.Else, [new(id, "else")], cluster);
                return [.. thenEnds, .. elseEnds];
            }

            case GotoStep jump:
            {
                var parts = new List<string>(2);
                if (jump.Stage is { } stage) parts.Add("stage " + stage);
                if (jump.Flow is { } flow) parts.Add("flow " + flow);
                AddNode(id, "goto " + string.Join(", ", parts), NodeShape.Jump, cluster);
                if (jump.Stage is { } s)
                    Edge(id, StageId(s), "stage", EdgeStyle.Dotted);
                if (jump.Flow is { } f)
                {
                    Edge(id, FlowEntry(f), "continue in", EdgeStyle.Thick);
                    return [];
                }
                return [new(id, null)];
            }

            case HandoffStep handoff:
            {
                var label = new StringBuilder("handoff → ").Append(handoff.Queue);
                if (handoff.Reason is { } reason) label.Append('\n').Append(Shorten(reason));
                if (!handoff.Offer.IsDefaultOrEmpty) label.Append("\noffer ").Append(string.Join(", ", handoff.Offer));
                AddNode(id, label.ToString(), NodeShape.Handoff, cluster);
                Edge(id, QueueId(handoff.Queue), null, EdgeStyle.Thick);
                return [];
            }

            case TicketStep ticket:
            {
                var label = "ticket " + ticket.Kind.ToString().ToLowerInvariant() + (ticket.Queue is { } q ? " (" + q + ")" : "") + (ticket.Into is { } into ? " → " + into : "");
                AddNode(id, label, NodeShape.Step, cluster);
                if (ticket.Queue is { } tq) Edge(id, QueueId(tq), "ticket", EdgeStyle.Dotted);
                return [new(id, null)];
            }

            case EndStep end:
                AddNode(id, end.Say is { } endSay ? "end: " + MessageText(endSay) : "end", NodeShape.Step, cluster);
                return [];

            default:
                AddNode(id, step.GetType().Name, NodeShape.Step, cluster);
                return [new(id, null)];
        }
    }

    void AddHandoff()
    {
        var handoff = _model.Handoff;
        if (handoff.Queues.IsDefaultOrEmpty && handoff.Rules.IsDefaultOrEmpty)
            return;
        _clusters.Add(new GraphCluster(HandoffCluster, "handoff"));

        foreach (var queue in handoff.Queues)
        {
            var hours = queue.Windows.IsDefaultOrEmpty && queue.Hours is null ? "always open" : (queue.Hours ?? "") + " " + queue.TimeZone;
            var closed = queue.Closed.IsDefaultOrEmpty ? "" : "\nclosed " + string.Join(", ", queue.Closed.Select(ClosedText));
            var queueId = Node("queue", queue.Name, "queue " + queue.Name + "\n" + hours.Trim() + closed, NodeShape.Queue, HandoffCluster, new(GraphRefKind.Queue, queue.Name));
            if (queue.OutOfHours is { } own)
                Edge(queueId, OutOfHoursNode("out-of-hours-" + queue.Name, own), "closed", EdgeStyle.Dotted);
        }

        // Rules are checked in order after each turn; the first match hands off, so each links to the next by "no match".
        string? previous = null;
        foreach (var rule in handoff.Rules)
        {
            var condition = rule.Intent is { } intent ? "intent " + intent : rule.When is { } when ? Shorten(when.Source) : "always";
            var ruleId = Node("rule", rule.Id, "rule " + rule.Id + "\n" + condition, NodeShape.Decision, HandoffCluster, new(GraphRefKind.Rule, rule.Id));
            if (previous is null)
                Edge(Node("note", "after-each-turn", "after each turn", NodeShape.Note, HandoffCluster), ruleId, null, EdgeStyle.Dotted);
            else
                Edge(previous, ruleId, "no match", EdgeStyle.Dotted);
            var offer = rule.Offer.IsDefaultOrEmpty ? null : "offer " + string.Join(", ", rule.Offer);
            Edge(ruleId, QueueId(rule.Queue), offer, EdgeStyle.Solid);
            previous = ruleId;
        }

        if (handoff.OutOfHours is { } outOfHours)
        {
            var id = OutOfHoursNode("out-of-hours", outOfHours);
            foreach (var queue in handoff.Queues.Where(q => q.OutOfHours is null && (!q.Windows.IsDefaultOrEmpty || !q.Closed.IsDefaultOrEmpty)))
                Edge(QueueId(queue.Name), id, "closed", EdgeStyle.Dotted);
        }

        if (!handoff.Share.IsDefaultOrEmpty)
        {
            var shared = string.Join(", ", handoff.Share.Select(s => s.Key == s.Variable ? s.Key : $"{s.Key} = {s.Variable}"));
            Node("note", "share", "shared with the agent: " + shared, NodeShape.Note, HandoffCluster);
        }
    }

    string OutOfHoursNode(string key, OutOfHours outOfHours)
    {
        var label = new StringBuilder("out of hours");
        if (outOfHours.Say is { } say) label.Append("\nsay: ").Append(MessageText(say));
        if (!outOfHours.Offer.IsDefaultOrEmpty) label.Append("\noffer ").Append(string.Join(", ", outOfHours.Offer));
        return Node("note", key, label.ToString(), NodeShape.Note, HandoffCluster);
    }

    static string ClosedText(ClosedDates closed)
    {
        var format = closed.EveryYear ? "MM-dd" : "yyyy-MM-dd";
        var from = closed.From.ToString(format, CultureInfo.InvariantCulture);
        return closed.From == closed.To ? from : from + ".." + closed.To.ToString(format, CultureInfo.InvariantCulture);
    }

        string StageId(string stage)
    {
        if (_stageNames.Add(stage))
        {
            Node("stage", stage, "stage " + stage + " (not in journey)", NodeShape.Stage, cluster: null);
        }
        return _ids.Get("stage", stage);
    }

    string QueueId(string queue)
    {
        if (_queueNames.Add(queue))
        {
            Node("queue", queue, "queue " + queue + " (not declared)", NodeShape.Queue, cluster: null);
        }
        return _ids.Get("queue", queue);
    }

    string FlowEntry(string flowName)
    {
        var flow = _model.Flows.FirstOrDefault(f => f.Name == flowName);
        if (flow is null)
        {
            if (_flowNames.Add(flowName))
                Node("empty", flowName, "flow " + flowName + " (not declared)", NodeShape.Step, cluster: null);
            return _ids.Get("empty", flowName);
        }
        return flow.Steps.IsDefaultOrEmpty ? _ids.Get("empty", flowName) : StepId(flow.Steps[0]);
    }

    string StepId(Step step)
    {
        var id = _ids.Get("step", step.Id);
        _stepKeys[id] = step.Id;
        return id;
    }

    string Node(string kind, string key, string label, NodeShape shape, string? cluster, GraphRef? source = null)
    {
        var id = _ids.Get(kind, key);
        _nodes.Add(new GraphNode(id, label, shape, cluster) { Ref = source });
        return id;
    }

    /// <summary>Adds a step's node (<paramref name="id"/> from <see cref="StepId"/>), which stands for that step.</summary>
    void AddNode(string id, string label, NodeShape shape, string cluster) =>
        _nodes.Add(new GraphNode(id, label, shape, cluster) { Ref = new(GraphRefKind.Step, _stepKeys[id]) });

    void Edge(string from, string to, string? label, EdgeStyle style) => _edges.Add(new GraphEdge(from, to, label, style));

    static string MessageText(Message message)
    {
        var text = message.Variations.IsDefaultOrEmpty ? "" : Shorten(message.Variations[0].Source);
        if (message.Variations.Length > 1)
            text += $" (+{message.Variations.Length - 1})";
        if (!message.Suggestions.IsDefaultOrEmpty)
            text += "\n[" + string.Join("] [", message.Suggestions.Select(s => Shorten(s.Source))) + "]";
        return text;
    }

    static string EventText(EventTrigger trigger) => trigger.When is { } when ? $"{trigger.Event} ({Shorten(when.Source)})" : trigger.Event;

    static string CapText(Cap cap) => cap.Kind switch
    {
        CapKind.OncePerConversation => "once per conversation",
        CapKind.OncePerStage => "once per stage",
        CapKind.Cooldown => "cooldown " + (cap.Cooldown?.ToString("c", CultureInfo.InvariantCulture) ?? "?"),
        _ => "none",
    };

    static string ExpectText(Expectation expect)
    {
        var text = expect.Kind.ToString().ToLowerInvariant();
        if (expect.Pattern is { } pattern) text += " " + Shorten(pattern);
        if (!expect.Choices.IsDefaultOrEmpty) text += " " + string.Join(" | ", expect.Choices.Select(c => c.Value));
        return text;
    }

    static string AssignmentText(Assignment assignment) =>
        assignment.Value is { } template ? Shorten(template.Source) : assignment.Literal?.GetRawText() ?? "null";

    /// <summary>Cuts at a text element boundary so no surrogate pair or combining mark is split.</summary>
    internal static string Shorten(string text)
    {
        var singleLine = text.ReplaceLineEndings(" ").Trim();
        var info = new StringInfo(singleLine);
        return info.LengthInTextElements <= MaxLabelTextElements
            ? singleLine
            : info.SubstringByTextElements(0, MaxLabelTextElements - 1) + "…";
    }

    readonly record struct OpenEnd(string From, string? Label);

    /// <summary>Readable node ids made of <c>[A-Za-z0-9_]</c>, unique even when two names sanitise alike.</summary>
    sealed class NodeIds
    {
        readonly Dictionary<(string Kind, string Key), string> _byKey = [];
        readonly HashSet<string> _used = new(StringComparer.Ordinal);

        public string Get(string kind, string key)
        {
            if (_byKey.TryGetValue((kind, key), out var id))
                return id;
            var sb = new StringBuilder(kind);
            if (key.Length > 0)
                sb.Append('_');
            foreach (var c in key)
                sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
            var candidate = sb.ToString();
            for (var n = 2; !_used.Add(candidate); n++)
                candidate = sb.ToString() + "_" + n.ToString(CultureInfo.InvariantCulture);
            _byKey[(kind, key)] = candidate;
            return candidate;
        }
    }
}
