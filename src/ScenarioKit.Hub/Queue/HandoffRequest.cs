using System.Text.Json;

namespace ScenarioKit.Hub;

/// <summary>
/// A handoff as the server hands it to the hub: the conversation, the queue and rule, and the engine's decision
/// as JSON (<see cref="Context"/>). <see cref="Unattended"/>: no agent could take it (nobody online), so the
/// customer already got the scenario's timeout path and the entry is only recorded.
/// </summary>
public sealed record HandoffRequest(
    string ConversationKey,
    string ConversationId,
    string ChannelId,
    string ScenarioId,
    string ScenarioVersion,
    string? UserId,
    string Queue,
    string RuleId,
    string? RuleLocation,
    string Reason,
    int Priority,
    string? CustomerName,
    string? Locale,
    JsonElement Context,
    bool Unattended = false);
