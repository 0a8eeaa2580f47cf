using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ScenarioKit.Server.Bots;
using ScenarioKit.Server.Endpoints;
using ScenarioKit.Storage;

namespace ScenarioKit.LoadTest;

/// <summary>
/// <c>--layers</c> (docs/performance.md, "Session 8: the request path, layer by layer"): the same closed loop and the same
/// reference-conversation requests against six targets, one after the other, each adding one layer of the real server
/// to the one before, so the difference of two rungs' CPU per turn is what that layer costs:
/// <list type="number">
/// <item>the raw Kestrel echo (<see cref="Comparison.EchoServer"/>);</item>
/// <item>the real <c>ScenarioServer</c> (its middleware, routing, CORS, exception handler) with the echo standing in for
/// <c>/api/messages</c>;</item>
/// <item>+ the real endpoint and <c>ConversationService</c> (the activity read, the replies built, logged and written, the
/// turn summary, the handoff transcript) with the engine's answers recorded once and an in-memory store;</item>
/// <item>+ the engine turn (the real engine adapter, state in the in-memory store);</item>
/// <item>(3b) the same with each save answered a commit's time later, from a timer: the cost of waiting for the commit
/// without SQLite's;</item>
/// <item>the real server on SQLite (synchronous=FULL unless <c>--durable false</c>).</item>
/// </list>
/// Every rung is the server's own code: the stand-ins replace whole services through the server's container, never a
/// copy of the endpoint.
/// </summary>
static class LayerLadder
{
    public static async Task<int> RunAsync(Program.Options options)
    {
        Console.WriteLine($"layers: {options.Connections} connections, warm-up {options.Warmup} s, measure {options.Duration} s per rung, {Environment.ProcessorCount} cores");
        var results = new List<(string Rung, LoadResult Result)>();

        await using (var echo = await Comparison.EchoServer.StartAsync())
            results.Add(await MeasureAsync("0 raw Kestrel echo", echo.Url, options, Comparison.CheckEcho));

        await using (var host = await InProcessServer.StartAsync(options, configureServices: s => s.AddSingleton<IMessagesEndpoint, EchoMessages>()))
            results.Add(await MeasureAsync("1 server pipeline, echo endpoint", host.Url, options, Comparison.CheckEcho));

        await using (var host = await InProcessServer.StartAsync(options, configureServices: s => s.AddSingleton<IConversationStore>(new MemoryStore())))
        {
            var catalog = host.Services.GetRequiredService<ScenarioCatalog>();
            catalog.Deploy(await RecordedBot.RecordAsync(catalog.Resolve(null, null)!));
            results.Add(await MeasureAsync("2 + activity JSON and turn bookkeeping (recorded answers, memory store)", host.Url, options, CheckTurn));
        }

        await using (var host = await InProcessServer.StartAsync(options, configureServices: s => s.AddSingleton<IConversationStore>(new MemoryStore())))
            results.Add(await MeasureAsync("3 + engine turn (memory store)", host.Url, options, CheckTurn));

        // Waiting for a commit without SQLite: what the turn's suspension itself costs the request threads.
        await using (var host = await InProcessServer.StartAsync(options, configureServices: s => s.AddSingleton<IConversationStore>(new MemoryStore(CommitWait))))
            results.Add(await MeasureAsync($"3b + a {CommitWait.TotalMilliseconds:F0} ms wait at each save (memory store answering from a timer)", host.Url, options, CheckTurn));

        await using (var host = await InProcessServer.StartAsync(options))
            results.Add(await MeasureAsync($"4 real server, SQLite synchronous={(options.Durable ? "FULL" : "NORMAL")}", host.Url, options, CheckTurn));

        PrintLadder(results);
        return results.All(r => r.Result.Errors == 0 && r.Result.Turns > 0) ? 0 : 1;
    }

    /// <summary>About a <c>synchronous=FULL</c> commit's time on this machine (the writer's batches take 1–5 ms).</summary>
    static readonly TimeSpan CommitWait = TimeSpan.FromMilliseconds(2);

    static string? CheckTurn(int turn, byte[] request, byte[] body) => Program.Check(turn, body);

    static async Task<(string, LoadResult)> MeasureAsync(string rung, string url, Program.Options options, ClosedLoop.Check check)
    {
        Console.WriteLine("-- " + rung);
        var result = await ClosedLoop.RunAsync(rung, url, options, check);
        result.Print(cpuIsServer: true);
        return (rung, result);
    }

    static void PrintLadder(List<(string Rung, LoadResult Result)> results)
    {
        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine("| rung | turns/s | p99 ms | CPU µs/turn | + this layer | TP workers | SQLite threads | B allocated/turn | work items/turn |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        double? previous = null;
        foreach (var (rung, r) in results)
        {
            var turns = Math.Max(1, r.Turns);
            var cpu = r.Cost.Cpu.TotalMilliseconds * 1000 / turns;
            double Threads(string part) => r.Cost.CpuByThread.Where(p => p.Key.Contains(part, StringComparison.Ordinal)).Sum(p => p.Value.TotalMilliseconds) * 1000 / turns;
            var added = previous is { } p ? string.Create(ci, $"{cpu - p:+0;-0}") : "–";
            Console.WriteLine(string.Create(ci,
                $"| {rung} | {r.TurnsPerSecond:F0} | {r.Percentile(99):F2} | {cpu:F0} | {added} | {Threads("TP Worker"):F0} | {Threads("SQL"):F0} | {r.Cost.AllocatedBytes / turns:F0} | {(double)r.Cost.WorkItems / turns:F2} |"));
            previous = cpu;
        }
    }

    /// <summary>Rung 1: the echo where the real endpoint would run, behind everything the server puts in front of it.</summary>
    sealed class EchoMessages : IMessagesEndpoint
    {
        public Task HandleAsync(HttpContext context, string? routeScenario) => Comparison.EchoServer.EchoAsync(context);
    }

    /// <summary>
    /// Rung 2: the engine's answers to the reference conversation, recorded once from the loaded engine bot and given back
    /// turn by turn (the state is the next turn's index), so the server does all of its own work but no engine turn.
    /// </summary>
    sealed class RecordedBot(IScenarioBot engine, BotTurnResult[] turns) : IScenarioBot
    {
        public string ScenarioId => engine.ScenarioId;
        public string Version => engine.Version;
        public string Locale => engine.Locale;

        public static async Task<RecordedBot> RecordAsync(IScenarioBot engine)
        {
            var turns = new BotTurnResult[Program.UserTurns.Length];
            var state = engine.Start("layers", "user-layers");
            for (var i = 0; i < turns.Length; i++)
            {
                var result = await engine.RunTurnAsync(state, new BotMessageInput(Program.UserTurns[i], $"layers-{i + 1}", null), CancellationToken.None);
                state = result.State;
                turns[i] = result with { State = [(byte)(i + 1)] };
            }
            return new RecordedBot(engine, turns);
        }

        public byte[] Start(string conversationId, string userId) => [0];

        public ValueTask<BotTurnResult> RunTurnAsync(byte[] state, BotInput input, CancellationToken cancellationToken) =>
            ValueTask.FromResult(turns[state[0]]);
    }

    /// <summary>
    /// Rungs 2 and 3: conversations kept in memory with the versioned-save rule of the real stores, bounded (the oldest
    /// conversations are dropped: the load test never returns to a finished one). With a <paramref name="commitWait"/>
    /// (rung 3b) a save is answered that much later from a timer, on the thread pool as the SQLite writer answers.
    /// </summary>
    sealed class MemoryStore(TimeSpan commitWait = default) : IConversationStore
    {
        const int Capacity = 1024;
        readonly ConcurrentDictionary<string, (ConversationRecord Row, ImmutableList<StoredActivity> Log)> _conversations = new(StringComparer.Ordinal);
        readonly ConcurrentQueue<string> _created = new();

        public Task<ConversationRecord?> GetAsync(string key, CancellationToken cancellationToken) =>
            Task.FromResult(_conversations.TryGetValue(key, out var c) ? c.Row : null);

        public Task SaveAsync(TurnWrite write, CancellationToken cancellationToken)
        {
            Save(write);
            return commitWait > TimeSpan.Zero ? Task.Delay(commitWait, CancellationToken.None) : Task.CompletedTask;
        }

        void Save(TurnWrite write)
        {
            var key = write.Conversation.Key;
            if (write.ExpectedVersion == 0)
            {
                if (!_conversations.TryAdd(key, (write.Conversation, [.. write.Activities]))) throw new ConcurrencyConflictException(key);
                _created.Enqueue(key);
                while (_created.Count > Capacity && _created.TryDequeue(out var oldest)) _conversations.TryRemove(oldest, out _);
                return;
            }
            if (!_conversations.TryGetValue(key, out var current) || current.Row.Version != write.ExpectedVersion
                || !_conversations.TryUpdate(key, (write.Conversation, current.Log.AddRange(write.Activities)), current))
                throw new ConcurrencyConflictException(key);
        }

        public Task<IReadOnlyList<StoredActivity>> ReadActivitiesAsync(string key, long afterSeq, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<StoredActivity>>(_conversations.TryGetValue(key, out var c)
                ? [.. c.Log.Where(a => a.Seq > afterSeq).Take(limit)]
                : []);

        public Task<IReadOnlyList<ConversationRecord>> ListActiveAsync(DateTimeOffset sinceUtc, bool withAgentOnly, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ConversationRecord>>([.. _conversations.Values.Select(c => c.Row)
                .Where(r => r.UpdatedUtc >= sinceUtc && (!withAgentOnly || r.WithAgent)).OrderByDescending(r => r.UpdatedUtc).Take(limit)]);

        public Task<bool> PingAsync(CancellationToken cancellationToken) => Task.FromResult(true);
    }
}
