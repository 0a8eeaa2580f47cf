using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ScenarioKit.Hub;
using ScenarioKit.Hub.Cluster;
using ScenarioKit.Hub.Queue;
using ScenarioKit.Hub.Storage.PostgreSql;
using ScenarioKit.Hub.Tests.Support;
using ScenarioKit.Storage.PostgreSql;
using ScenarioKit.Tests.Shared;

namespace ScenarioKit.Storage.Tests;

/// <summary>The hub's bus between nodes on a real PostgreSQL: NOTIFY payloads of any size, and the leader lock.</summary>
public sealed class PostgresHubBusTests(PostgresTestServer server) : IAsyncLifetime
{
    readonly CancellationTokenSource _stop = new();
    readonly List<Task> _running = [];
    readonly List<NpgsqlDataSource> _sources = [];
    readonly List<PostgresHubStore> _stores = [];
    string _database = "";

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await server.CreateDatabaseAsync();

    PostgresHubBus Bus()
    {
        var source = PostgresConnection.CreateDataSource(_database);
        _sources.Add(source);
        return new PostgresHubBus(source, NullLogger<PostgresHubBus>.Instance);
    }

    ConcurrentQueue<(HubChannel Channel, string Payload)> Listen(PostgresHubBus bus)
    {
        var heard = new ConcurrentQueue<(HubChannel, string)>();
        _running.Add(bus.ListenAsync((channel, payload) => { heard.Enqueue((channel, payload)); return Task.CompletedTask; }, _stop.Token));
        return heard;
    }

    static async Task UntilAsync(Func<bool> condition, string what, int seconds = 20)
    {
        for (var i = 0; i < seconds * 50 && !condition(); i++) await Task.Delay(20, Ct);
        Assert.True(condition(), what);
    }

    [Fact]
    public async Task Messages_of_any_size_arrive_whole_and_in_order_and_a_reply_only_at_its_node()
    {
        var (a, b) = (Bus(), Bus());
        var heardByA = Listen(a);
        var heardByB = Listen(b);
        await Task.Delay(500, Ct); // both LISTENs are in place
        var large = string.Concat(Enumerable.Repeat("荷物が届きません。", 3000)); // ≈ 81 KB in UTF-8, far above NOTIFY's 8000 bytes
        var edge = new string('x', PostgresHubBus.MaxNotifyBytes + 1);

        await a.SendAsync(HubChannel.Pushes, null, "small 小さい", Ct);
        await a.SendAsync(HubChannel.Pushes, null, large, Ct);
        await a.SendAsync(HubChannel.Pushes, null, edge, Ct);
        await a.SendAsync(HubChannel.Pushes, null, "@not a reference", Ct);
        await a.SendAsync(HubChannel.Replies, b.NodeId, "for b", Ct);

        await UntilAsync(() => heardByB.Count == 5, "b heard all five");
        Assert.Equal(
            [(HubChannel.Pushes, "small 小さい"), (HubChannel.Pushes, large), (HubChannel.Pushes, edge), (HubChannel.Pushes, "@not a reference"), (HubChannel.Replies, "for b")],
            heardByB.ToList());
        await UntilAsync(() => heardByA.Count == 4, "a heard its pushes");
        Assert.DoesNotContain(heardByA, m => m.Channel == HubChannel.Replies);
    }

    [Fact]
    public async Task When_the_leaders_session_ends_the_other_node_takes_the_lead_within_seconds()
    {
        var (a, b) = (Bus(), Bus());
        var aLost = new TaskCompletionSource();
        var bLeads = new TaskCompletionSource();
        var aLeads = new TaskCompletionSource();
        _running.Add(a.LeadAsync(async lost =>
        {
            aLeads.TrySetResult();
            await Task.Delay(Timeout.Infinite, lost).ContinueWith(_ => aLost.TrySetResult(), TaskScheduler.Default);
        }, _stop.Token));
        await aLeads.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        _running.Add(b.LeadAsync(async lost =>
        {
            bLeads.TrySetResult();
            await Task.Delay(Timeout.Infinite, lost).ContinueWith(_ => { }, TaskScheduler.Default);
        }, _stop.Token));
        await Task.Delay(1500, Ct);
        Assert.False(bLeads.Task.IsCompleted);

        // As when the leader's process dies: PostgreSQL ends its session, and with it the lock. Only this test's database:
        // the cluster is shared, and another test's session may hold an advisory lock of its own (its schema migration).
        await using (var admin = PostgresConnection.CreateDataSource(_database))
        await using (var kill = admin.CreateCommand("""
            SELECT pg_terminate_backend(pid) FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """))
            await kill.ExecuteNonQueryAsync(Ct);
        var taking = Stopwatch.StartNew();

        await bLeads.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await aLost.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        TestContext.Current.SendDiagnosticMessage($"lead taken over after {taking.ElapsedMilliseconds} ms");
    }

    /// <summary>
    /// Two nodes over the real bus and the shared hub tables: a handoff whose context is far larger than a notification
    /// is forwarded from the follower, queued and offered by the leader, and read back through the follower whole.
    /// </summary>
    [Fact]
    public async Task A_follower_forwards_a_handoff_larger_than_a_notification_and_reads_it_back_whole()
    {
        var gateway = new FakeConversationGateway();
        var options = new HubOptions { IdleAway = TimeSpan.Zero, NodeHeartbeat = TimeSpan.FromMilliseconds(200) };
        HubNode Node(RecordingNotifier consoles)
        {
            var bus = Bus();
            var relay = new RelayHubNotifier(bus, consoles, NullLogger<RelayHubNotifier>.Instance);
            var store = new PostgresHubStore(_database);
            _stores.Add(store);
            var hub = new HubService(store, gateway, relay, options, TimeProvider.System, NullLogger<HubService>.Instance);
            var node = new HubNode(hub, new HubClient(bus, options), bus, relay, options, TimeProvider.System, NullLogger<HubNode>.Instance);
            _running.Add(node.RunAsync(lost => Task.Delay(Timeout.Infinite, lost), _stop.Token));
            return node;
        }
        var leader = Node(new RecordingNotifier());
        await UntilAsync(() => leader.IsLeader, "the first node leads");
        var followerConsoles = new RecordingNotifier();
        var follower = Node(followerConsoles);
        await UntilAsync(() => follower.Leader == leader.NodeId, "the follower heard the leader");
        var credentials = HubData.Agent("sato", queues: "support");
        Assert.True(await _stores[0].AddAgentAsync(credentials, Ct));
        await follower.ConnectedAsync(credentials.Account, Ct);
        await follower.SetStatusAsync(credentials.Account, AgentStatus.Online, Ct);
        var transcript = string.Concat(Enumerable.Repeat("お客様：荷物が届きません。", 1000)); // ≈ 39 KB
        var request = HubData.Request("webchat/big") with { Context = JsonSerializer.SerializeToElement(new { stage = "checkout", transcript }) };

        var entry = await follower.EnqueueAsync(request, Ct);

        Assert.Equal(EntryStatus.Offered, entry.Status);
        Assert.Equal(transcript, entry.Context.GetProperty("transcript").GetString());
        var seen = await follower.GetVisibleAsync(credentials.Account, entry.Id, Ct);
        Assert.Equal(transcript, seen.Context.GetProperty("transcript").GetString());
        await UntilAsync(() => followerConsoles.Offers("sato").Any(), "the offer reached the follower's consoles");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_running).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }
        foreach (var source in _sources) await source.DisposeAsync();
        foreach (var store in _stores) await store.DisposeAsync();
        _stop.Dispose();
    }
}
