using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace ScenarioKit.Engine;

/// <summary>One entry of the conversation transcript: a message from the user or the bot.</summary>
public sealed record TranscriptEntry(string Role, string Text)
{
    public const string User = "user";
    public const string Bot = "bot";
}

/// <summary>
/// A handoff decided this turn. <see cref="WithinHours"/> false means the queue was closed: the
/// customer got the out-of-hours message and no agent handoff happened.
/// <see cref="Transcript"/> holds the messages before the handoff message itself.
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
    /// <summary>
    /// The <c>handoff.initiate</c> event value: the shared values as top-level properties (e.g.
    /// <c>orderNumber</c>), then <c>transcript</c> (<c>[{role, text}]</c>), <c>queue</c>, <c>rule</c>,
    /// <c>reason</c>, <c>offer</c>, <c>withinHours</c>. A fresh object each call (nodes are copied).
    /// </summary>
    public JsonObject ToEventValue()
    {
        var value = new JsonObject();
        foreach (var (key, shared) in Shared)
            value[key] = shared?.DeepClone();
        var transcript = new JsonArray();
        foreach (var entry in Transcript)
            transcript.Add(new JsonObject { ["role"] = entry.Role, ["text"] = entry.Text });
        // Shared keys come first; the fixed keys win if a designer shares a variable under one of their names.
        value["transcript"] = transcript;
        value["queue"] = Queue;
        value["rule"] = RuleId;
        value["reason"] = Reason;
        var offer = new JsonArray();
        foreach (var o in Offer)
            offer.Add(o);
        value["offer"] = offer;
        value["withinHours"] = WithinHours;
        return value;
    }
}
