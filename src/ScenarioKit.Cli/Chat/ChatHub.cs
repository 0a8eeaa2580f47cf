using ScenarioKit.Engine;

namespace ScenarioKit.Cli.Chat;

/// <summary>
/// The agent hub as <c>scenariokit chat</c> plays it: every queue reports the same position, estimate
/// and agents online (<c>--agents-online</c>), an agent accepts only when the designer types
/// <c>/accept</c> or <c>/agent</c>, and a customer left waiting past the queue's <c>maxWait</c>
/// (<c>/wait</c>) times out as the server's hub would time them out.
/// </summary>
internal sealed class ChatHub(int agentsOnline) : IHandoffQueue
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(2);

    public int AgentsOnline { get; } = agentsOnline >= 0 ? agentsOnline : throw new ArgumentOutOfRangeException(nameof(agentsOnline));

    public QueueStatus Status => new(1, DefaultWait, AgentsOnline, Accepted);

    /// <summary>An agent has the conversation (no more waiting notices).</summary>
    public bool Accepted { get; private set; }

    /// <summary>When the customer was put in the queue; null when nobody waits.</summary>
    public DateTimeOffset? WaitingSince { get; private set; }

    public ValueTask<QueueStatus?> GetStatusAsync(string conversationId, string queue, CancellationToken cancellationToken) =>
        ValueTask.FromResult<QueueStatus?>(Status);

    public void Enqueue(DateTimeOffset at)
    {
        WaitingSince = at;
        Accepted = false;
    }

    public void Accept()
    {
        WaitingSince = null;
        Accepted = true;
    }

    /// <summary>The conversation left the hub (returned, resolved, timed out, or a new conversation began).</summary>
    public void Clear()
    {
        WaitingSince = null;
        Accepted = false;
    }

    /// <summary>Whether a customer still waiting at <paramref name="now"/> has waited <paramref name="maxWait"/> or longer.</summary>
    public bool HasTimedOut(DateTimeOffset now, TimeSpan? maxWait) =>
        !Accepted && WaitingSince is { } since && maxWait is { } limit && now - since >= limit;
}
