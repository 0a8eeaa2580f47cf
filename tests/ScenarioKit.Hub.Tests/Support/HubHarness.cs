using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Queue;
using ScenarioKit.Hub.Storage;

namespace ScenarioKit.Hub.Tests.Support;

/// <summary>
/// A <see cref="HubService"/> over a real SQLite file with a fake clock, a fake gateway and a recording notifier.
/// <see cref="Restart"/> builds a second service over the same file, as a restarted server would.
/// </summary>
internal sealed class HubHarness : IDisposable
{
    readonly TempDatabase _database = new();
    readonly List<HubService> _services = [];
    readonly List<SqliteHubStore> _stores = [];

    public HubHarness()
    {
        Store = new SqliteHubStore(_database.Path);
        Hub = NewService();
    }

    public FakeTimeProvider Time { get; } = new(HubData.Start);

    public FakeConversationGateway Gateway { get; } = new();

    public RecordingNotifier Notifier { get; } = new();

    // Idle-away is off unless a test turns it on: long fake waits would otherwise set every agent away.
    public HubOptions Options { get; } = new() { IdleAway = TimeSpan.Zero };

    public SqliteHubStore Store { get; }

    public HubService Hub { get; private set; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Another store over the same file (closed with the harness), as another server would open it.</summary>
    public SqliteHubStore NewStore()
    {
        var store = new SqliteHubStore(_database.Path);
        _stores.Add(store);
        return store;
    }

    public HubService NewService()
    {
        var store = NewStore();
        var service = new HubService(store, Gateway, Notifier, Options, Time, NullLogger<HubService>.Instance);
        _services.Add(service);
        return service;
    }

    /// <summary>A new service over the same file, started (reloads open entries and accounts).</summary>
    public async Task<HubService> RestartAsync()
    {
        Hub = NewService();
        await Hub.StartAsync(Ct);
        return Hub;
    }

    public async Task<AgentAccount> AccountAsync(string login, string queues = "support", int maxChats = 3, AgentRole role = AgentRole.Agent, string? displayName = null)
    {
        var credentials = HubData.Agent(login, displayName ?? login + "さん", role, queues, maxChats);
        Assert.True(await Store.AddAgentAsync(credentials, Ct));
        return credentials.Account;
    }

    /// <summary>An account whose console is connected and who chose online.</summary>
    public async Task<AgentAccount> OnlineAsync(string login, string queues = "support", int maxChats = 3, AgentRole role = AgentRole.Agent, HubService? hub = null)
    {
        var account = await AccountAsync(login, queues, maxChats, role);
        await ComeOnlineAsync(account, hub);
        return account;
    }

    public async Task ComeOnlineAsync(AgentAccount account, HubService? hub = null)
    {
        hub ??= Hub;
        await hub.ConnectedAsync(account, Ct);
        await hub.SetStatusAsync(account, AgentStatus.Online, Ct);
    }

    public Task<HandoffEntry> EnqueueAsync(string conversationKey, string queue = "support", int priority = 0, string locale = "ja-JP") =>
        Hub.EnqueueAsync(HubData.Request(conversationKey, queue, priority, locale), Ct);

    public HandoffEntry Current(string conversationKey) => Hub.FindOpen(conversationKey) ?? throw new InvalidOperationException($"{conversationKey} is not open");

    public async Task<HandoffEntry> StoredAsync(string entryId) => await Store.GetEntryAsync(entryId, Ct) ?? throw new InvalidOperationException($"{entryId} not stored");

    /// <summary>Moves the clock and runs the hub's timers once, as its background loop would.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        await Hub.TickAsync(Ct);
    }

    public void PickMode(string queue = "support") => Gateway.Settings[queue] = QueueSettings.Default with { AutoAssign = false };

    public void Dispose()
    {
        foreach (var service in _services) service.Dispose();
        foreach (var store in _stores) store.Dispose();
        Store.Dispose();
        _database.Dispose();
    }
}
