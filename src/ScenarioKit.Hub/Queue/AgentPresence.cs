namespace ScenarioKit.Hub.Queue;

public enum AgentStatus
{
    Offline,
    Away,
    Online,
}

/// <summary>
/// An agent's live state on this node. <see cref="Connections"/> counts open console connections; when it drops
/// to zero the agent turns offline after <see cref="HubOptions.PresenceGrace"/> (a page reload does not bounce them).
/// </summary>
internal sealed class AgentPresence(string login)
{
    public string Login { get; } = login;
    public AgentStatus Chosen { get; set; } = AgentStatus.Offline;
    public int Connections { get; set; }
    public DateTimeOffset LastActiveUtc { get; set; }
    public DateTimeOffset LastAssignedUtc { get; set; }
    public DateTimeOffset? DisconnectedUtc { get; set; }
}

/// <summary>What the console shows of an agent.</summary>
public sealed record AgentState(string Login, string DisplayName, string Role, string Status, int ActiveChats, int MaxChats, IReadOnlyList<string> Queues, bool Connected);
