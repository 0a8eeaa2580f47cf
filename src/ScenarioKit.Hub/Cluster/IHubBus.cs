namespace ScenarioKit.Hub.Cluster;

/// <summary>The channels nodes talk on: commands to the leader, replies to one node, pushes and leader announcements to all.</summary>
public enum HubChannel
{
    Commands,
    Replies,
    Pushes,
    Leader,
}

/// <summary>
/// How the nodes sharing one database talk about the hub (PostgreSQL: LISTEN/NOTIFY, with bodies too large for a
/// notification kept in a table) and agree on the one node that runs it (a session advisory lock).
/// </summary>
public interface IHubBus
{
    /// <summary>This process's id among the nodes (stable while it runs).</summary>
    string NodeId { get; }

    /// <summary>Sends <paramref name="payload"/> of any size; <see cref="HubChannel.Replies"/> go to <paramref name="node"/> only.</summary>
    Task SendAsync(HubChannel channel, string? node, string payload, CancellationToken cancellationToken);

    /// <summary>
    /// Hands every message for this node (commands, its replies, pushes, announcements) to <paramref name="received"/>,
    /// one at a time in arrival order, until cancelled. After a lost connection, messages sent meanwhile are gone.
    /// </summary>
    Task ListenAsync(Func<HubChannel, string, Task> received, CancellationToken cancellationToken);

    /// <summary>
    /// Waits until this node is the leader, then runs <paramref name="lead"/> with a token that fires when leadership is
    /// lost (the lock's connection broke); tries again until <paramref name="cancellationToken"/> fires.
    /// </summary>
    Task LeadAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken);
}
