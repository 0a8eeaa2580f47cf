using System.Collections.Immutable;
using System.Text.Json.Nodes;
using ScenarioKit.Model;

namespace ScenarioKit.Engine;

/// <summary>One entry of the conversation transcript: a message from the user, the bot or a human agent.</summary>
public sealed record TranscriptEntry(string Role, string Text)
{
    public const string User = "user";
    public const string Bot = "bot";
    public const string Agent = "agent";
}

/// <summary>The conversation entered <see cref="Stage"/> at <see cref="EnteredAt"/> because of <see cref="Event"/> (an event name, or <c>goto</c>).</summary>
public sealed record StageEntry(string Stage, DateTimeOffset EnteredAt, string Event);

/// <summary>A recent site event (page view, cart update, …): its name, when, and a compact copy of its value (top-level scalars only).</summary>
public sealed record SiteEvent(string Name, DateTimeOffset At, JsonObject? Value);

/// <summary>
/// A handoff decided this turn. <see cref="WithinHours"/> false means the queue was closed: the
/// customer got the out-of-hours message and no agent handoff happened. <see cref="Unattended"/>
/// means the queue was open but the hub had no agent online: the customer got <c>handoff.onTimeout</c>
/// and no agent handoff happened either. <see cref="Transcript"/> holds the messages before the
/// handoff message itself. The init properties are the scenario's own reason for the handoff, for
/// the agent's context panel and the audit log (issue 9).
/// </summary>
public sealed record HandoffDecision(
    string Queue,
    string RuleId,
    string Reason,
    bool WithinHours,
    ImmutableArray<string> Offer,
    ImmutableArray<KeyValuePair<string, JsonNode?>> Shared,
    ImmutableArray<TranscriptEntry> Transcript)
{
    /// <summary>The rule (or handoff step) in the YAML.</summary>
    public SourceSpan RuleSpan { get; init; } = SourceSpan.None;

    /// <summary>
    /// The values, at the moment of the decision, of every variable and built-in the rule's <c>when</c>
    /// reads (<c>stage</c>, <c>cart.total</c>, …); for an intent rule <c>intent</c> and <c>confidence</c>;
    /// empty for a handoff step.
    /// </summary>
    public ImmutableArray<KeyValuePair<string, JsonNode?>> ConditionValues { get; init; } = [];

    public string? Stage { get; init; }

    /// <summary>The last stages entered, oldest first (bounded, see <see cref="ConversationState"/>).</summary>
    public ImmutableArray<StageEntry> StageHistory { get; init; } = [];

    /// <summary>The last site events, oldest first (bounded).</summary>
    public ImmutableArray<SiteEvent> RecentEvents { get; init; } = [];

    /// <summary>The intent recognised last in the conversation and its confidence (null when none yet).</summary>
    public string? Intent { get; init; }

    public double Confidence { get; init; }

    /// <summary>The variables filled by <c>ask</c> steps in this conversation, in answer order, with their current values.</summary>
    public ImmutableArray<KeyValuePair<string, JsonNode?>> Answers { get; init; } = [];

    /// <summary>The rule's or step's <c>priority</c> (default 0; higher is served first).</summary>
    public int Priority { get; init; }

    public string ScenarioId { get; init; } = "";

    public string PackageVersion { get; init; } = "";

    /// <summary>The queue was open but nobody could take the conversation; see <see cref="UnattendedReason"/>.</summary>
    public bool Unattended { get; init; }

    /// <summary><c>noAgents</c> when <see cref="Unattended"/>, else null.</summary>
    public string? UnattendedReason { get; init; }

    /// <summary>Reason constant: no agent of the queue was online at the handoff.</summary>
    public const string NoAgents = "noAgents";

    /// <summary>
    /// The <c>handoff.initiate</c> event value: the shared values as top-level properties (e.g.
    /// <c>orderNumber</c>), then <c>transcript</c> (<c>[{role, text}]</c>), <c>queue</c>, <c>rule</c>,
    /// <c>reason</c>, <c>offer</c>, <c>withinHours</c>, and the context: <c>ruleSpan</c>
    /// (<c>{file, line, column}</c>), <c>conditionValues</c>, <c>stage</c>, <c>stageHistory</c>,
    /// <c>recentEvents</c>, <c>intent</c>, <c>confidence</c>, <c>answers</c>, <c>priority</c>,
    /// <c>scenarioId</c>, <c>packageVersion</c>, <c>unattended</c> (and <c>unattendedReason</c>).
    /// A fresh object each call (nodes are copied).
    /// </summary>
    public JsonObject ToEventValue()
    {
        var value = new JsonObject();
        foreach (var (key, shared) in Shared)
            value[key] = shared?.DeepClone();
        // Shared keys come first; the fixed keys win if a designer shares a variable under one of their names.
        value["transcript"] = ContextJson.Transcript(Transcript);
        value["queue"] = Queue;
        value["rule"] = RuleId;
        value["reason"] = Reason;
        var offer = new JsonArray();
        foreach (var o in Offer)
            offer.Add(o);
        value["offer"] = offer;
        value["withinHours"] = WithinHours;
        value["ruleSpan"] = ContextJson.Span(RuleSpan);
        value["conditionValues"] = ContextJson.Pairs(ConditionValues);
        ContextJson.Write(value, Stage, StageHistory, RecentEvents, Intent, Confidence, Answers, ScenarioId, PackageVersion);
        value["priority"] = Priority;
        value["unattended"] = Unattended;
        if (UnattendedReason is not null) value["unattendedReason"] = UnattendedReason;
        return value;
    }
}

/// <summary>The JSON shape of the conversation context, shared by handoff events and tickets.</summary>
internal static class ContextJson
{
    public static JsonArray Transcript(ImmutableArray<TranscriptEntry> transcript)
    {
        var array = new JsonArray();
        foreach (var entry in transcript)
            array.Add(new JsonObject { ["role"] = entry.Role, ["text"] = entry.Text });
        return array;
    }

    public static JsonObject Span(SourceSpan span) => new() { ["file"] = span.File, ["line"] = span.Line, ["column"] = span.Column };

    public static JsonObject Pairs(ImmutableArray<KeyValuePair<string, JsonNode?>> pairs)
    {
        var o = new JsonObject();
        foreach (var (key, v) in pairs)
            o[key] = v?.DeepClone();
        return o;
    }

    public static void Write(JsonObject value, string? stage, ImmutableArray<StageEntry> history, ImmutableArray<SiteEvent> events,
        string? intent, double confidence, ImmutableArray<KeyValuePair<string, JsonNode?>> answers, string scenarioId, string packageVersion)
    {
        value["stage"] = stage;
        var stages = new JsonArray();
        foreach (var s in history)
            stages.Add(new JsonObject { ["stage"] = s.Stage, ["at"] = s.EnteredAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture), ["event"] = s.Event });
        value["stageHistory"] = stages;
        var recent = new JsonArray();
        foreach (var e in events)
            recent.Add(new JsonObject { ["name"] = e.Name, ["at"] = e.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture), ["value"] = e.Value?.DeepClone() });
        value["recentEvents"] = recent;
        value["intent"] = intent;
        value["confidence"] = confidence;
        value["answers"] = Pairs(answers);
        value["scenarioId"] = scenarioId;
        value["packageVersion"] = packageVersion;
    }
}
