using Microsoft.Extensions.Logging.Abstractions;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Cluster;
using ScenarioKit.Hub.Queue;
using ScenarioKit.Hub.Tests.Support;

namespace ScenarioKit.Hub.Tests.Cluster;

/// <summary>
/// Several nodes sharing one hub (docs/deploy.md, "Several nodes"), each with its own <see cref="HubService"/> over one
/// store: the leader runs the hub, the others forward to it, and every node's consoles hear every push.
/// </summary>
public sealed class HubNodeTests : IAsyncDisposable
{
    readonly HubHarness _harness = new();
    readonly InMemoryHubNetwork _network = new();
    readonly CancellationTokenSource _stop = new();
    readonly List<Task> _running = [];

    public HubNodeTests() => _harness.Options.NodeHeartbeat = TimeSpan.FromMilliseconds(100);

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    sealed record TestNode(HubNode Node, InMemoryHubBus Bus, RecordingNotifier Consoles, HubService Hub);

    TestNode Start(string name, HubOptions? options = null)
    {
        options ??= _harness.Options;
        var bus = _network.Join(name);
        var consoles = new RecordingNotifier();
        var relay = new RelayHubNotifier(bus, consoles, NullLogger<RelayHubNotifier>.Instance);
        var store = _harness.NewStore();
        var hub = new HubService(store, _harness.Gateway, relay, options, _harness.Time, NullLogger<HubService>.Instance);
        var node = new HubNode(hub, new HubClient(bus, options), bus, relay, options, TimeProvider.System, NullLogger<HubNode>.Instance);
        _running.Add(node.RunAsync(lost => Task.Delay(Timeout.Infinite, lost), _stop.Token));
        return new TestNode(node, bus, consoles, hub);
    }

    static async Task UntilAsync(Func<bool> condition, string what, int seconds = 10)
    {
        for (var i = 0; i < seconds * 50 && !condition(); i++) await Task.Delay(20, Ct);
        Assert.True(condition(), what);
    }

    async Task<(TestNode Leader, TestNode Follower)> TwoNodesAsync(HubOptions? options = null)
    {
        var a = Start("a", options);
        await UntilAsync(() => a.Node.IsLeader, "a leads");
        var b = Start("b", options);
        await UntilAsync(() => b.Node.Leader == "a", "b knows its leader");
        return (a, b);
    }

    [Fact]
    public async Task A_follower_forwards_turns_and_console_calls_and_its_consoles_hear_the_leaders_pushes()
    {
        var (leader, follower) = await TwoNodesAsync();
        var sato = await _harness.AccountAsync("sato");
        await follower.Node.ConnectedAsync(sato, Ct);
        await follower.Node.SetStatusAsync(sato, AgentStatus.Online, Ct);

        var entry = await follower.Node.EnqueueAsync(HubData.Request("webchat/c1"), Ct);
        Assert.Equal(EntryStatus.Offered, entry.Status);
        await UntilAsync(() => follower.Consoles.Offers("sato").Any(), "the offer reached the follower's consoles");
        Assert.Contains($"offered sato {entry.Id}", leader.Consoles.Events);

        Assert.Equal(EntryStatus.Assigned, (await follower.Node.AcceptAsync(sato, entry.Id, Ct)).Status);
        await follower.Node.OnLineAsync("webchat/c1", new TranscriptLine(3, TranscriptLine.Customer, "山田", "荷物が届きません", _harness.Time.GetUtcNow()), Ct);
        await UntilAsync(() => follower.Consoles.Events.Contains($"line {entry.Id} customer 荷物が届きません"), "the line reached the follower's consoles");
        Assert.Contains(_harness.Gateway.Messages, m => m.EntryId == entry.Id); // the greeting, sent by the leader

        var view = await follower.Node.GetViewAsync(sato, Ct);
        Assert.Equal(entry.Id, Assert.Single(view.Entries).Id);
        Assert.Equal("online", view.Agents.Single(a => a.Login == "sato").Status);
        Assert.Equal(1, view.Online["support"]);
        Assert.Equal(new QueuePosition(0, TimeSpan.Zero, 1, Assigned: true), await follower.Node.GetPositionAsync("conv-webchat/c1", "support", Ct));
    }

    [Fact]
    public async Task A_refusal_on_the_leader_reaches_the_follower_with_its_code()
    {
        var (_, follower) = await TwoNodesAsync();
        var sato = await _harness.AccountAsync("sato");

        var refused = await Assert.ThrowsAsync<HubException>(() => follower.Node.AcceptAsync(sato, "h-none", Ct));

        Assert.Equal(HubException.NotFound, refused.Code);
        Assert.Equal("This chat is no longer open.", refused.Message);
    }

    [Fact]
    public async Task A_call_nobody_answers_fails_as_unavailable_after_the_timeout()
    {
        var bus = _network.Join("lonely");
        var client = new HubClient(bus, new HubOptions { ForwardTimeout = TimeSpan.FromMilliseconds(200) });
        _running.Add(bus.ListenAsync((_, _) => Task.CompletedTask, _stop.Token));

        var refused = await Assert.ThrowsAsync<HubException>(() => client.EnqueueAsync(HubData.Request("webchat/c1"), Ct));

        Assert.Equal(HubException.Unavailable, refused.Code);
        Assert.Equal(0, client.Pending);
    }

    [Fact]
    public async Task A_call_waiting_on_a_leader_that_dies_ends_as_soon_as_the_next_node_leads()
    {
        var (leader, follower) = await TwoNodesAsync(new HubOptions { IdleAway = TimeSpan.Zero, NodeHeartbeat = TimeSpan.FromMilliseconds(100), ForwardTimeout = TimeSpan.FromMinutes(5) });
        leader.Bus.DeafToCommands = true;
        var waiting = follower.Node.EnqueueAsync(HubData.Request("webchat/c1"), Ct);
        await Task.Delay(100, Ct);
        Assert.False(waiting.IsCompleted);

        leader.Bus.Kill();

        var refused = await Assert.ThrowsAsync<HubException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal(HubException.Unavailable, refused.Code);
        Assert.True(follower.Node.IsLeader);
        Assert.Equal(EntryStatus.Waiting, (await follower.Node.EnqueueAsync(HubData.Request("webchat/c1"), Ct)).Status);
    }

    [Fact]
    public async Task When_the_leader_dies_the_next_node_reloads_the_queue_and_its_agents_stay_online()
    {
        var (leader, follower) = await TwoNodesAsync();
        var sato = await _harness.AccountAsync("sato", maxChats: 1);
        await follower.Node.ConnectedAsync(sato, Ct);
        await follower.Node.SetStatusAsync(sato, AgentStatus.Online, Ct);
        var first = await follower.Node.EnqueueAsync(HubData.Request("webchat/c1"), Ct);
        await follower.Node.AcceptAsync(sato, first.Id, Ct);
        var waiting = await follower.Node.EnqueueAsync(HubData.Request("webchat/c2"), Ct);
        await UntilAsync(() => follower.Consoles.Events.Any(e => e.StartsWith("presence sato online", StringComparison.Ordinal)), "the follower heard the status");

        leader.Bus.Kill();
        await UntilAsync(() => follower.Node.IsLeader, "the follower took the lead");

        var view = await follower.Node.GetViewAsync(sato, Ct);
        Assert.Equal([first.Id, waiting.Id], view.Entries.Select(e => e.Id).Order(StringComparer.Ordinal));
        var state = view.Agents.Single(a => a.Login == "sato");
        Assert.Equal(("online", true), (state.Status, state.Connected));
        await follower.Node.ReturnToBotAsync(sato, first.Id, null, null, null, resolved: true, Ct);
        Assert.Equal(EntryStatus.Offered, follower.Hub.FindOpen("webchat/c2")!.Status);
    }

    [Fact]
    public async Task A_node_that_stops_reporting_loses_its_consoles_on_the_leader()
    {
        var options = new HubOptions { IdleAway = TimeSpan.Zero, NodeHeartbeat = TimeSpan.FromMilliseconds(50), NodeExpiry = TimeSpan.FromMilliseconds(300) };
        var (leader, follower) = await TwoNodesAsync(options);
        var sato = await _harness.AccountAsync("sato");
        await follower.Node.ConnectedAsync(sato, Ct);
        Assert.True(leader.Hub.GetAgentState("sato")!.Connected);

        follower.Bus.Kill();

        await UntilAsync(() => leader.Hub.GetAgentState("sato") is { Connected: false }, "sato's console counts as gone");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
        _stop.Dispose();
        _harness.Dispose();
    }
}
