using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using ScenarioKit.Hub;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Cluster;
using ScenarioKit.Hub.Queue;

namespace ScenarioKit.Server.Agent;

/// <summary>
/// The console's real-time channel (<c>/agent/hub</c>, SignalR). It only pushes: every action goes through the REST
/// API, which checks anti-forgery and permissions in one place. A connection counts as the agent's presence.
/// </summary>
[Authorize(AuthenticationSchemes = AgentAuth.Scheme)]
internal sealed class AgentConsoleHub(IHubOperations hub, IConsolePresence presence, SignalRHubNotifier notifier) : Microsoft.AspNetCore.SignalR.Hub
{
    public override async Task OnConnectedAsync()
    {
        var login = AgentAuth.Login(Context.User) ?? throw new ScenarioKit.Hub.HubException(ScenarioKit.Hub.HubException.Forbidden, "Not signed in.");
        var account = await hub.RefreshAccountAsync(login, Context.ConnectionAborted);
        foreach (var group in notifier.Watch(account))
            await Groups.AddToGroupAsync(Context.ConnectionId, group, Context.ConnectionAborted);
        await presence.ConnectedAsync(account, Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (AgentAuth.Login(Context.User) is { } login) await presence.DisconnectedAsync(login, CancellationToken.None);
        await base.OnDisconnectedAsync(exception);
    }
}

/// <summary>Pushes hub events to consoles by group: <c>agent:{login}</c>, <c>queue:{name}</c>, and <c>all</c> (supervisors and <c>*</c> agents).</summary>
/// <remarks>
/// SignalR does not de-duplicate a connection that is in several of the groups a message goes to, so every connection
/// watches a queue through exactly one group, and the assigned agent's own group is added only when they do not watch
/// the entry's queue already (the hub load benchmark counted every console line twice at the assigned agent).
/// </remarks>
internal sealed class SignalRHubNotifier(IHubContext<AgentConsoleHub> consoles) : IHubNotifier
{
    // login → the groups their consoles joined (the account as it was at its latest connection).
    readonly ConcurrentDictionary<string, string[]> _groups = new(StringComparer.Ordinal);

    // login → display name, of agents with a console on this node: an offer goes to the agent's own group only, so their
    // account was watched here (with several nodes the hub runs elsewhere and this node's hub view is empty).
    readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);

    string? DisplayName(string login) => _names.GetValueOrDefault(login);

    /// <summary>The groups a console of <paramref name="account"/> joins; remembered for addressing entry events.</summary>
    public IReadOnlyList<string> Watch(AgentAccount account)
    {
        _names[account.Login] = account.DisplayName;
        string[] groups = account.IsSupervisor || account.Queues.Contains(AgentAccount.AllQueues)
            ? ["agent:" + account.Login, "all"]
            : ["agent:" + account.Login, .. account.Queues.Select(q => "queue:" + q)];
        _groups[account.Login] = groups;
        return groups;
    }

    static IReadOnlyList<string> Watchers(string queue) => ["queue:" + queue, "all"];

    /// <summary>
    /// Lines, typing and notes of an entry: while it waits (or is offered), everyone watching its queue; once an agent
    /// has it, that agent and the supervisors only. Sending a live chat to the whole queue cost 50 events per line at
    /// 50 agents and showed colleagues a conversation that is not theirs.
    /// </summary>
    IReadOnlyList<string> EntryAudience(HandoffEntry entry)
    {
        string[] watchers = entry is { Status: EntryStatus.Assigned, Agent: not null } ? ["all"] : ["queue:" + entry.Queue, "all"];
        if (entry.Agent is null || _groups.TryGetValue(entry.Agent, out var joined) && joined.Any(watchers.Contains)) return watchers;
        return [.. watchers, "agent:" + entry.Agent];
    }

    public Task QueueChangedAsync(string queue, HandoffEntry? entry, string change) =>
        consoles.Clients.Groups(Watchers(queue)).SendAsync("queueChanged", new { queue, entryId = entry?.Id, change });

    public Task OfferedAsync(string login, HandoffEntry entry) =>
        consoles.Clients.Group("agent:" + login).SendAsync("offered", AgentJson.Summary(entry, DisplayName(login)));

    public Task LineAsync(HandoffEntry entry, TranscriptLine line) =>
        consoles.Clients.Groups(EntryAudience(entry))
            .SendAsync("line", new { entryId = entry.Id, line = AgentJson.Line(line) });

    public Task CustomerTypingAsync(HandoffEntry entry) =>
        consoles.Clients.Groups(EntryAudience(entry))
            .SendAsync("typing", new { entryId = entry.Id });

    public Task NoteAsync(HandoffEntry entry, EntryNote note) =>
        consoles.Clients.Groups(EntryAudience(entry))
            .SendAsync("note", new { entryId = entry.Id, note = AgentJson.Note(note) });

    public Task PresenceChangedAsync(string login, string status) =>
        consoles.Clients.All.SendAsync("presence", new { login, status });

    public Task TicketsChangedAsync() => consoles.Clients.All.SendAsync("tickets", new { });
}
