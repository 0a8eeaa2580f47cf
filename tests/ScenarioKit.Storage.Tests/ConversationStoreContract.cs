using System.Text;
using ScenarioKit.Storage;

namespace ScenarioKit.Storage.Tests;

/// <summary>
/// What every conversation store promises, written once and run against SQLite and PostgreSQL. <see cref="OpenNode"/> is
/// another store instance over the same data: a second server node (PostgreSQL) or a restarted server (SQLite).
/// </summary>
public abstract class ConversationStoreContract : IAsyncLifetime
{
    public interface IStore : IConversationStore, IPackageArchive, ITurnLog, IStoreRetention;

    protected static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    readonly List<IAsyncDisposable> _opened = [];

    protected (IConversationStore Conversations, IPackageArchive Packages, ITurnLog Turns, IStoreRetention Retention) Store { get; private set; }

    /// <summary>A new store instance over the test's data.</summary>
    protected abstract Task<object> CreateStoreAsync();

    protected async Task<(IConversationStore Conversations, IPackageArchive Packages, ITurnLog Turns, IStoreRetention Retention)> OpenNode()
    {
        var store = await CreateStoreAsync();
        _opened.Add((IAsyncDisposable)store);
        return ((IConversationStore)store, (IPackageArchive)store, (ITurnLog)store, (IStoreRetention)store);
    }

    public virtual async ValueTask InitializeAsync() => Store = await OpenNode();

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var store in _opened) await store.DisposeAsync();
    }

    protected static ConversationRecord Record(string key, long version, long lastSeq, string state = "{}", DateTimeOffset? updated = null, bool withAgent = false) =>
        new(key, "conv-" + key, "directline", "retail", "1.0.0", "user-1", Encoding.UTF8.GetBytes(state), version, lastSeq, true, withAgent,
            Start, updated ?? Start.AddMinutes(version));

    protected static StoredActivity Activity(long seq, string text) =>
        new(seq, "message", Encoding.UTF8.GetBytes($$"""{"type":"message","text":"{{text}}"}"""));

    protected static TurnLogEntry Turn(string key, long turn, DateTimeOffset at, string text, string version = "1.0.0") =>
        new(key, turn, at, "retail", version, Encoding.UTF8.GetBytes($$"""{"input":"message","text":"{{text}}"}"""));

    [Fact]
    public async Task A_new_conversation_is_read_back_with_every_field()
    {
        var record = Record("dl/c1", 1, 2, """{"stage":"注文"}""") with { UserId = null, Started = false, WithAgent = true };

        await Store.Conversations.SaveAsync(new TurnWrite(record, 0, [Activity(1, "こんにちは"), Activity(2, "hello")]), Ct);

        var read = await Store.Conversations.GetAsync("dl/c1", Ct);
        Assert.NotNull(read);
        Assert.Equal(record with { State = default }, read with { State = default });
        Assert.Equal("""{"stage":"注文"}""", Encoding.UTF8.GetString(read.State.Span));
        Assert.Null(await Store.Conversations.GetAsync("dl/none", Ct));
    }

    [Fact]
    public async Task Activities_are_read_after_a_watermark_in_order_and_limited()
    {
        await Store.Conversations.SaveAsync(new TurnWrite(Record("k", 1, 2), 0, [Activity(1, "一"), Activity(2, "two")]), Ct);
        await Store.Conversations.SaveAsync(new TurnWrite(Record("k", 2, 4), 1, [Activity(3, "三"), Activity(4, "four")]), Ct);

        var after1 = await Store.Conversations.ReadActivitiesAsync("k", 1, 2, Ct);

        Assert.Equal([2L, 3L], after1.Select(a => a.Seq));
        Assert.Equal("""{"type":"message","text":"三"}""", Encoding.UTF8.GetString(after1[1].Json.Span));
        Assert.Equal("message", after1[0].Type);
        Assert.Empty(await Store.Conversations.ReadActivitiesAsync("k", 4, 10, Ct));
    }

    [Fact]
    public async Task A_stale_version_is_a_conflict_that_writes_nothing()
    {
        await Store.Conversations.SaveAsync(new TurnWrite(Record("k", 1, 1), 0, [Activity(1, "a")]), Ct);
        await Store.Conversations.SaveAsync(new TurnWrite(Record("k", 2, 2), 1, [Activity(2, "b")]) { Turn = Turn("k", 2, Start, "b") }, Ct);

        var stale = new TurnWrite(Record("k", 2, 3, "stale"), 1, [Activity(3, "lost")]) { Turn = Turn("k", 2, Start, "lost") };
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.Conversations.SaveAsync(stale, Ct));
        var duplicateNew = new TurnWrite(Record("k", 1, 1, "again"), 0, []);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.Conversations.SaveAsync(duplicateNew, Ct));

        Assert.Equal("k", conflict.Key);
        var read = (await Store.Conversations.GetAsync("k", Ct))!;
        Assert.Equal((2L, 2L, "{}"), (read.Version, read.LastSeq, Encoding.UTF8.GetString(read.State.Span)));
        Assert.Equal([1L, 2L], (await Store.Conversations.ReadActivitiesAsync("k", 0, 10, Ct)).Select(a => a.Seq));
        var turns = await ReadTurnsAsync(new TurnLogQuery());
        Assert.Equal(["""{"input":"message","text":"b"}"""], turns.Select(t => Encoding.UTF8.GetString(t.Json.Span)));
    }

    [Fact]
    public async Task A_write_whose_version_is_not_the_next_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.Conversations.SaveAsync(new TurnWrite(Record("k", 3, 0), 0, []), Ct));
    }

    [Fact]
    public async Task Active_conversations_are_listed_newest_first_and_filtered_by_agent()
    {
        await Store.Conversations.SaveAsync(new TurnWrite(Record("old", 1, 0, updated: Start.AddHours(-2)), 0, []), Ct);
        await Store.Conversations.SaveAsync(new TurnWrite(Record("a", 1, 0, updated: Start.AddMinutes(1)), 0, []), Ct);
        await Store.Conversations.SaveAsync(new TurnWrite(Record("b", 1, 0, updated: Start.AddMinutes(3), withAgent: true), 0, []), Ct);
        await Store.Conversations.SaveAsync(new TurnWrite(Record("c", 1, 0, updated: Start.AddMinutes(2)), 0, []), Ct);

        var all = await Store.Conversations.ListActiveAsync(Start, withAgentOnly: false, limit: 10, Ct);
        var withAgent = await Store.Conversations.ListActiveAsync(Start, withAgentOnly: true, limit: 10, Ct);
        var two = await Store.Conversations.ListActiveAsync(Start, withAgentOnly: false, limit: 2, Ct);

        Assert.Equal(["b", "c", "a"], all.Select(r => r.Key));
        Assert.Equal(["b"], withAgent.Select(r => r.Key));
        Assert.Equal(["b", "c"], two.Select(r => r.Key));
    }

    [Fact]
    public async Task The_turn_log_is_filtered_and_ordered_by_conversation_then_turn()
    {
        await Store.Conversations.SaveAsync(new TurnWrite(Record("z", 1, 0), 0, []) { Turn = Turn("z", 1, Start.AddMinutes(1), "z1") }, Ct);
        await Store.Conversations.SaveAsync(new TurnWrite(Record("a", 1, 0), 0, []) { Turn = Turn("a", 1, Start.AddMinutes(2), "a1", "2.0.0") }, Ct);
        await Store.Conversations.SaveAsync(new TurnWrite(Record("a", 2, 0), 1, []) { Turn = Turn("a", 2, Start.AddMinutes(3), "a2") }, Ct);

        var all = await ReadTurnsAsync(new TurnLogQuery());
        var version = await ReadTurnsAsync(new TurnLogQuery(ScenarioId: "retail", ScenarioVersion: "1.0.0"));
        var window = await ReadTurnsAsync(new TurnLogQuery(FromUtc: Start.AddMinutes(2), ToUtc: Start.AddMinutes(3)));

        Assert.Equal([("a", 1L), ("a", 2L), ("z", 1L)], all.Select(t => (t.Key, t.Turn)));
        Assert.Equal(Start.AddMinutes(2), all[0].AtUtc);
        Assert.Equal("2.0.0", all[0].ScenarioVersion);
        Assert.Equal([("a", 2L), ("z", 1L)], version.Select(t => (t.Key, t.Turn)));
        Assert.Equal([("a", 1L)], window.Select(t => (t.Key, t.Turn)));
        Assert.Empty(await ReadTurnsAsync(new TurnLogQuery(ScenarioId: "other")));
    }

    [Fact]
    public async Task Retention_drops_activity_json_first_then_turns_and_idle_conversations()
    {
        await Store.Conversations.SaveAsync(new TurnWrite(Record("idle", 1, 2, updated: Start.AddDays(-40)), 0, [Activity(1, "a"), Activity(2, "b")]) { Turn = Turn("idle", 1, Start.AddDays(-40), "a") }, Ct);
        await Store.Conversations.SaveAsync(new TurnWrite(Record("quiet", 1, 1, updated: Start.AddDays(-3)), 0, [Activity(1, "c")]) { Turn = Turn("quiet", 1, Start.AddDays(-3), "c") }, Ct);
        await Store.Conversations.SaveAsync(new TurnWrite(Record("live", 1, 1, updated: Start), 0, [Activity(1, "d")]) { Turn = Turn("live", 1, Start, "d") }, Ct);

        var result = await Store.Retention.ExpireAsync(Start.AddDays(-1), Start.AddDays(-30), Ct);

        Assert.Equal(new RetentionResult(Conversations: 1, Activities: 3, Turns: 1), result);
        Assert.Null(await Store.Conversations.GetAsync("idle", Ct));
        Assert.NotNull(await Store.Conversations.GetAsync("quiet", Ct));
        Assert.Empty(await Store.Conversations.ReadActivitiesAsync("quiet", 0, 10, Ct));
        Assert.Single(await Store.Conversations.ReadActivitiesAsync("live", 0, 10, Ct));
        Assert.Equal(["live", "quiet"], (await ReadTurnsAsync(new TurnLogQuery())).Select(t => t.Key));
        Assert.Equal(new RetentionResult(0, 0, 0), await Store.Retention.ExpireAsync(Start.AddDays(-1), Start.AddDays(-30), Ct));
    }

    [Fact]
    public async Task The_newest_state_is_read_back_after_turns_with_and_without_activities_and_after_the_activities_expired()
    {
        // SQLite keeps the state of a turn with activities in its activities row (layout 2): every path must still read
        // the newest, and the expiry of the activity JSON must not take the state with it.
        const string key = "dl/状態";
        async Task<string> StateAsync(IConversationStore store) => Encoding.UTF8.GetString((await store.GetAsync(key, Ct))!.State.Span);

        await Store.Conversations.SaveAsync(new TurnWrite(Record(key, 1, 1, "状態1", Start.AddDays(-3)), 0, [Activity(1, "a")]), Ct);
        Assert.Equal("状態1", await StateAsync(Store.Conversations));
        await Store.Conversations.SaveAsync(new TurnWrite(Record(key, 2, 1, "状態2", Start.AddDays(-3)), 1, []), Ct);
        Assert.Equal("状態2", await StateAsync(Store.Conversations));
        await Store.Conversations.SaveAsync(new TurnWrite(Record(key, 3, 3, "状態3", Start.AddDays(-2)), 2, [Activity(2, "b"), Activity(3, "c")]), Ct);
        Assert.Equal("状態3", await StateAsync(Store.Conversations));
        Assert.Equal("状態3", Encoding.UTF8.GetString(Assert.Single(await Store.Conversations.ListActiveAsync(Start.AddDays(-4), false, 10, Ct)).State.Span));
        var node = await OpenNode();
        Assert.Equal("状態3", await StateAsync(node.Conversations));

        var result = await Store.Retention.ExpireAsync(Start.AddDays(-1), Start.AddDays(-30), Ct);

        Assert.Equal(new RetentionResult(0, 3, 0), result);
        Assert.Empty(await Store.Conversations.ReadActivitiesAsync(key, 0, 10, Ct));
        Assert.Equal("状態3", await StateAsync(Store.Conversations));
        Assert.Equal(3, (await Store.Conversations.GetAsync(key, Ct))!.Version);
        await Store.Conversations.SaveAsync(new TurnWrite(Record(key, 4, 4, "状態4"), 3, [Activity(4, "d")]), Ct);
        Assert.Equal("状態4", await StateAsync(node.Conversations));
        Assert.Equal([4L], (await Store.Conversations.ReadActivitiesAsync(key, 0, 10, Ct)).Select(a => a.Seq));
    }

    [Fact]
    public async Task Packages_are_archived_by_scenario_and_version_and_replaced_only_when_the_content_changes()
    {
        await Store.Packages.SavePackageAsync("retail", "1.0.0", "h1", [1, 2, 3], Ct);
        await Store.Packages.SavePackageAsync("retail", "1.0.0", "h1", [1, 2, 3], Ct);
        await Store.Packages.SavePackageAsync("retail", "2.0.0", "h2", [4], Ct);
        await Store.Packages.SavePackageAsync("retail", "2.0.0", "h3", [5, 6], Ct);

        Assert.Equal([1, 2, 3], await Store.Packages.GetPackageAsync("retail", "1.0.0", Ct));
        Assert.Equal([5, 6], await Store.Packages.GetPackageAsync("retail", "2.0.0", Ct));
        Assert.Null(await Store.Packages.GetPackageAsync("retail", "3.0.0", Ct));
        var other = await OpenNode();
        Assert.Equal([5, 6], await other.Packages.GetPackageAsync("retail", "2.0.0", Ct));
    }

    [Fact]
    public async Task The_store_answers_a_ping()
    {
        Assert.True(await Store.Conversations.PingAsync(Ct));
    }

    /// <summary>
    /// Issue 14, any node takes any turn: two store instances (two nodes) race turns of one conversation, each as the
    /// server runs them (read, append, save with the version read, on a conflict read again and rerun). Every turn lands
    /// exactly once, the log has no gap and no duplicate, and each node's turns keep their order.
    /// </summary>
    [Fact]
    public async Task Two_nodes_racing_turns_of_one_conversation_lose_and_double_nothing()
    {
        const int TurnsPerNode = 40;
        var nodeA = Store.Conversations;
        var nodeB = (await OpenNode()).Conversations;
        await nodeA.SaveAsync(new TurnWrite(Record("race", 1, 0, ""), 0, []), Ct);
        var conflicts = 0;

        async Task RunNodeAsync(IConversationStore node, string name)
        {
            for (var i = 0; i < TurnsPerNode; i++)
            {
                while (true)
                {
                    var read = (await node.GetAsync("race", Ct))!;
                    var line = $"{name}{i}";
                    var state = Encoding.UTF8.GetString(read.State.Span) + line + ";";
                    var next = read with { State = Encoding.UTF8.GetBytes(state), Version = read.Version + 1, LastSeq = read.LastSeq + 1 };
                    try
                    {
                        await node.SaveAsync(new TurnWrite(next, read.Version, [Activity(next.LastSeq, line)]) { Turn = Turn("race", next.Version, Start, line) }, Ct);
                        break;
                    }
                    catch (ConcurrencyConflictException)
                    {
                        Interlocked.Increment(ref conflicts);
                    }
                }
            }
        }

        await Task.WhenAll(Task.Run(() => RunNodeAsync(nodeA, "A")), Task.Run(() => RunNodeAsync(nodeB, "B")));

        var final = (await nodeB.GetAsync("race", Ct))!;
        var lines = Encoding.UTF8.GetString(final.State.Span).Split(';', StringSplitOptions.RemoveEmptyEntries);
        var log = await nodeA.ReadActivitiesAsync("race", 0, 1000, Ct);
        var texts = log.Select(a => System.Text.Json.JsonDocument.Parse(a.Json).RootElement.GetProperty("text").GetString()!).ToList();
        Assert.Equal(2 * TurnsPerNode, lines.Length);
        Assert.Equal(lines, texts);
        Assert.Equal(Enumerable.Range(1, 2 * TurnsPerNode).Select(i => (long)i), log.Select(a => a.Seq));
        Assert.Equal(1 + 2 * TurnsPerNode, final.Version);
        foreach (var name in new[] { "A", "B" })
            Assert.Equal(Enumerable.Range(0, TurnsPerNode).Select(i => $"{name}{i}"), texts.Where(t => t.StartsWith(name, StringComparison.Ordinal)));
        Assert.Equal(2 * TurnsPerNode, (await ReadTurnsAsync(new TurnLogQuery())).Count);
        TestContext.Current.SendDiagnosticMessage($"{conflicts} conflicts retried");
    }

    protected async Task<List<TurnLogEntry>> ReadTurnsAsync(TurnLogQuery query)
    {
        var list = new List<TurnLogEntry>();
        await foreach (var t in Store.Turns.ReadTurnsAsync(query, Ct)) list.Add(t);
        return list;
    }
}
