using System.Collections.Immutable;
using System.Text.Json.Nodes;
using ScenarioKit.Model;

namespace ScenarioKit.Engine;

/// <summary>
/// A contact request a <c>ticket</c> step recorded (call-back, e-mail, other), with the same context
/// a handoff carries, for the agent hub to keep and agents to close. <see cref="Number"/> is
/// deterministic (conversation id, turn and step), short and readable, e.g. <c>CB-7K2Q9</c>.
/// </summary>
public sealed record Ticket(
    TicketKind Kind,
    string Number,
    string Contact,
    string? Time,
    string? Note,
    string? Queue,
    string StepId,
    SourceSpan StepSpan)
{
    public string? Stage { get; init; }
    public ImmutableArray<StageEntry> StageHistory { get; init; } = [];
    public ImmutableArray<SiteEvent> RecentEvents { get; init; } = [];
    public string? Intent { get; init; }
    public double Confidence { get; init; }
    public ImmutableArray<KeyValuePair<string, JsonNode?>> Shared { get; init; } = [];
    public ImmutableArray<KeyValuePair<string, JsonNode?>> Answers { get; init; } = [];
    public ImmutableArray<TranscriptEntry> Transcript { get; init; } = [];
    public string ScenarioId { get; init; } = "";
    public string PackageVersion { get; init; } = "";

    /// <summary>The kind as written in YAML: <c>callback</c>, <c>email</c>, <c>other</c>.</summary>
    public string KindName => Kind switch { TicketKind.Callback => "callback", TicketKind.Email => "email", _ => "other" };

    /// <summary>
    /// The ticket as JSON: <c>kind</c>, <c>number</c>, <c>contact</c>, <c>time</c>, <c>note</c>,
    /// <c>queue</c>, <c>step</c>, <c>stepSpan</c>, <c>shared</c>, <c>transcript</c> and the context keys
    /// of <see cref="HandoffDecision.ToEventValue"/>. A fresh object each call.
    /// </summary>
    public JsonObject ToJson()
    {
        var value = new JsonObject
        {
            ["kind"] = KindName,
            ["number"] = Number,
            ["contact"] = Contact,
            ["time"] = Time,
            ["note"] = Note,
            ["queue"] = Queue,
            ["step"] = StepId,
            ["stepSpan"] = ContextJson.Span(StepSpan),
            ["shared"] = ContextJson.Pairs(Shared),
            ["transcript"] = ContextJson.Transcript(Transcript),
        };
        ContextJson.Write(value, Stage, StageHistory, RecentEvents, Intent, Confidence, Answers, ScenarioId, PackageVersion);
        return value;
    }
}
