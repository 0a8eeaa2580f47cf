namespace ScenarioKit.Engine;

/// <summary>
/// What the agent hub knows about a handed-off conversation, asked by the engine during a turn
/// (<see cref="TurnServices.Queue"/>). Without it (channel mode) the engine behaves as before: no
/// waiting notice, no immediate timeout when nobody is online.
/// </summary>
public interface IHandoffQueue
{
    /// <summary>
    /// The conversation's place in <paramref name="queue"/>; on the handoff turn itself, the place it
    /// gets when enqueued now. Null when the hub has nothing to say (the engine then stays as it was).
    /// </summary>
    ValueTask<QueueStatus?> GetStatusAsync(string conversationId, string queue, CancellationToken cancellationToken);
}

/// <summary>
/// A conversation's standing in a queue. <see cref="Position"/> is 1-based; <see cref="Assigned"/>
/// means an agent has it (the customer gets no waiting notice). <see cref="AgentsOnline"/> 0 at the
/// handoff sends the customer down <c>handoff.onTimeout</c> at once.
/// </summary>
public sealed record QueueStatus(int Position, TimeSpan EstimatedWait, int AgentsOnline, bool Assigned)
{
    /// <summary>Minutes shown to the customer: rounded up, at least 1.</summary>
    public int WaitMinutes => EstimatedWait <= TimeSpan.Zero ? 1 : Math.Max(1, (int)Math.Ceiling(EstimatedWait.TotalMinutes));
}
