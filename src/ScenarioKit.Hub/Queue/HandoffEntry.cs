using System.Text.Json;

namespace ScenarioKit.Hub.Queue;

/// <summary>Where a handoff session is. Waiting and Offered are in the queue; Assigned is with an agent; the rest are ended.</summary>
public enum EntryStatus
{
    Waiting,
    Offered,
    Assigned,
    Resolved,
    ReturnedToBot,
    TimedOut,
    Abandoned,
    Unattended,
}

/// <summary>
/// One handoff session of one conversation: created when a handoff rule fires, ended when the agent resolves it,
/// returns it to the bot, or the customer times out or leaves. A conversation that is handed off again later gets
/// a new entry, so context is split by session. <see cref="Context"/> is the handoff decision as the engine
/// reported it (rule, YAML location, condition values, stage and history, shared variables, answers, intent,
/// transcript); the hub stores it as it came and never interprets more of it than it shows.
/// <see cref="Version"/> guards concurrent updates (two agents accepting the same entry: one wins).
/// </summary>
public sealed record HandoffEntry(
    string Id,
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
    DateTimeOffset WaitingSinceUtc,
    EntryStatus Status,
    string? Agent,
    DateTimeOffset? OfferedUtc,
    DateTimeOffset? AcceptedUtc,
    DateTimeOffset? EndedUtc,
    DateTimeOffset LastCustomerActivityUtc,
    string? Outcome,
    long Version)
{
    public bool IsOpen => Status is EntryStatus.Waiting or EntryStatus.Offered or EntryStatus.Assigned;

    public bool IsQueued => Status is EntryStatus.Waiting or EntryStatus.Offered;
}

/// <summary>A private note on an entry (visible to agents only), or a supervisor's whisper to the assigned agent.</summary>
public sealed record EntryNote(long Id, string EntryId, string Author, string Text, bool Whisper, DateTimeOffset AtUtc);
