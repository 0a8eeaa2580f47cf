namespace ScenarioKit.Hub;

/// <summary>Hub timings (configuration section <c>ScenarioKit:Hub</c>). Defaults follow the anchors in docs/agent-hub.md.</summary>
public sealed class HubOptions
{
    /// <summary>An offered chat not accepted within this goes back to the queue and the agent is set away (Genesys "not responding").</summary>
    public TimeSpan AcceptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an agent with no console connection keeps their status (page reloads, network blips).</summary>
    public TimeSpan PresenceGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Chats of an agent who went offline return to the queue after this.</summary>
    public TimeSpan RequeueAfterAgentGone { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>An online agent with no console activity for this long is set away (Botpress: 10 min).</summary>
    public TimeSpan IdleAway { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A waiting customer silent for this long is marked abandoned (zero: never).</summary>
    public TimeSpan AbandonAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Used when a queue has no <c>maxWait</c> in the scenario (zero: wait without limit).</summary>
    public TimeSpan DefaultMaxWait { get; set; } = TimeSpan.Zero;

    /// <summary>The wait estimate before any chat of the queue was accepted.</summary>
    public TimeSpan InitialWaitEstimate { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Several nodes: how long a node waits for the leader to answer a forwarded call before reporting the hub unavailable.</summary>
    public TimeSpan ForwardTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Several nodes: how often each node reports its consoles to the leader.</summary>
    public TimeSpan NodeHeartbeat { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Several nodes: a node not heard from for this long (it died) counts as having no consoles; their agents then get <see cref="PresenceGrace"/>.</summary>
    public TimeSpan NodeExpiry { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A console session ends after this long without a request (sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Sign-in attempts per client address per minute (on top of the per-account lockout).</summary>
    public int LoginAttemptsPerMinute { get; set; } = 10;
}
