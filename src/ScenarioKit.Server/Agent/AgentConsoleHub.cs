using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using ScenarioKit.Hub;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Queue;

namespace ScenarioKit.Server.Agent;

/// <summary>
/// The console's real-time channel (<c>/agent/hub</c>, SignalR). It only pushes: every action goes through the REST
/// API, which checks anti-forgery and permissions in one place. A connection counts as the agent's presence.
/// </summary>
[Authorize(AuthenticationSchemes = AgentAuth.Scheme)]
internal sealed class AgentConsoleHub(HubService hub) : Microsoft.AspNetCore.SignalR.Hub
{
    public override async Task OnConnectedAsync()
    {
        var login = AgentAuth.Login(Context.User) ?? throw new ScenarioKit.Hub.HubException(ScenarioKit.Hub.HubException.Forbidden, "Not signed in.");
        var account = await hub.RefreshAccountAsync(login, Context.ConnectionAborted);
        foreach (var group in SignalRHubNotifier.GroupsOf(account))
            await Groups.AddToGroupAsync(Context.ConnectionId, group, Context.ConnectionAborted);
        await hub.ConnectedAsync(account, Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (AgentAuth.Login(Context.User) is { } login) await hub.DisconnectedAsync(login, CancellationToken.None);
        await base.OnDisconnectedAsync(exception);
    }
}

/// <summary>Pushes hub events to consoles by group: <c>agent:{login}</c>, <c>queue:{name}</c>, and <c>all</c> (supervisors and <c>*</c> agents).</summary>
internal sealed class SignalRHubNotifier(IHubContext<AgentConsoleHub> consoles) : IHubNotifier
{
    public static IEnumerable<string> GroupsOf(AgentAccount account)
    {
        yield return "agent:" + account.Login;
        if (account.IsSupervisor || account.Queues.Contains(AgentAccount.AllQueues)) yield return "all";
        foreach (var q in account.Queues) yield return "queue:" + q;
    }

    static IReadOnlyList<string> Watchers(string queue) => ["queue:" + queue, "all"];

    public Task QueueChangedAsync(string queue, HandoffEntry? entry, string change) =>
        consoles.Clients.Groups(Watchers(queue)).SendAsync("queueChanged", new { queue, entryId = entry?.Id, change });

    public Task OfferedAsync(string login, HandoffEntry entry) =>
        consoles.Clients.Group("agent:" + login).SendAsync("offered", AgentJson.Summary(entry, null));

    public Task LineAsync(HandoffEntry entry, TranscriptLine line) =>
        consoles.Clients.Groups([.. Watchers(entry.Queue), .. entry.Agent is null ? Array.Empty<string>() : ["agent:" + entry.Agent]])
            .SendAsync("line", new { entryId = entry.Id, line = AgentJson.Line(line) });

    public Task CustomerTypingAsync(HandoffEntry entry) =>
        consoles.Clients.Groups([.. Watchers(entry.Queue), .. entry.Agent is null ? Array.Empty<string>() : ["agent:" + entry.Agent]])
            .SendAsync("typing", new { entryId = entry.Id });

    public Task NoteAsync(HandoffEntry entry, EntryNote note) =>
        consoles.Clients.Groups([.. Watchers(entry.Queue), .. entry.Agent is null ? Array.Empty<string>() : ["agent:" + entry.Agent]])
            .SendAsync("note", new { entryId = entry.Id, note = AgentJson.Note(note) });

    public Task PresenceChangedAsync(string login, string status) =>
        consoles.Clients.All.SendAsync("presence", new { login, status });

    public Task TicketsChangedAsync() => consoles.Clients.All.SendAsync("tickets", new { });
}
