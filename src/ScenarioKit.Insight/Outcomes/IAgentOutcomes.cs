using ScenarioKit.Hub.Queue;
using ScenarioKit.Hub.Storage;

namespace ScenarioKit.Insight.Outcomes;

/// <summary>How a human conversation that followed a handoff ended, and how long the customer waited for the agent.</summary>
internal sealed record AgentOutcome(string Outcome, double? WaitSeconds);

/// <summary>The agent hub's record of handoffs, when the database has one.</summary>
internal interface IAgentOutcomes
{
    /// <summary>The ended hub session of a conversation's handoff by <paramref name="rule"/> at <paramref name="atUtc"/>, if the hub has it.</summary>
    AgentOutcome? Find(string conversationKey, string rule, DateTimeOffset atUtc);
}

/// <summary>Ended hub sessions of a scenario, read once (one row per handoff that reached the hub).</summary>
internal sealed class HubAgentOutcomes : IAgentOutcomes
{
    /// <summary>A hub entry is the same handoff as a turn-log handoff if it was queued within this time of the turn.</summary>
    static readonly TimeSpan SameHandoff = TimeSpan.FromMinutes(2);

    readonly Dictionary<string, List<HandoffEntry>> _byConversation;

    HubAgentOutcomes(IEnumerable<HandoffEntry> entries) =>
        _byConversation = entries.GroupBy(e => e.ConversationKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

    public static async Task<HubAgentOutcomes> LoadAsync(IHubStore store, string? scenarioId, CancellationToken cancellationToken) =>
        new(await store.ListEndedEntriesAsync(scenarioId, null, int.MaxValue, cancellationToken).ConfigureAwait(false));

    public AgentOutcome? Find(string conversationKey, string rule, DateTimeOffset atUtc)
    {
        if (!_byConversation.TryGetValue(conversationKey, out var entries)) return null;
        var entry = entries.FirstOrDefault(e => e.RuleId == rule && (e.WaitingSinceUtc - atUtc).Duration() <= SameHandoff);
        if (entry is null) return null;
        var wait = entry.AcceptedUtc is { } accepted ? (accepted - entry.WaitingSinceUtc).TotalSeconds : (double?)null;
        var outcome = entry.Status switch
        {
            EntryStatus.Resolved => "resolved",
            EntryStatus.ReturnedToBot => "returned to bot",
            EntryStatus.TimedOut => "timed out",
            EntryStatus.Abandoned => "customer left",
            EntryStatus.Unattended => "unattended",
            var open => open.ToString().ToLowerInvariant(),
        };
        // The agent's own wording (entry.Outcome) stays out: it is free text and may name the customer.
        return new AgentOutcome(outcome, wait);
    }
}
