using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScenarioKit.Server.Hosting;

namespace ScenarioKit.LoadTest;

/// <summary>
/// Load generator for the server (docs/performance.md, "Server"): C connections on loopback, each walking
/// the reference conversation (/work/shared/bench/REFERENCE.md) turn by turn through POST /api/messages
/// with deliveryMode expectReplies, then starting a new conversation. Every reply is checked. By default
/// it hosts the server itself (scenarios/reference-support, SQLite in a temp folder); --url targets a
/// running `scenariokit serve` instead.
/// </summary>
static class Program
{
    internal static readonly string[] UserTurns = ["hello", "where is my order", "abc", "12345678", "talk to a human"];

    static readonly string[][] ExpectedTexts =
    [
        ["Hi! I'm the support assistant. What can I help you with?"],
        ["Sure. Please type your 8-digit order number."],
        ["That doesn't look like an 8-digit order number. Please try again (retry 1 of 2)."],
        ["Order 12345678: shipped on 2 June, arriving 5 June.", "Anything else?"],
        ["<handoff.initiate>", "Connecting you to an agent"],
    ];

    static async Task<int> Main(string[] args)
    {
        var options = Options.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine("""
                usage: ScenarioKit.LoadTest [--connections C] [--duration S] [--warmup S] [--url http://127.0.0.1:3978]
                                            [--scenario path] [--database path] [--durable true|false]
                                            [--postgres <connection string> [--nodes N]]
                       ScenarioKit.LoadTest --stream-latency --postgres <connection string> [--conversations N]
                       ScenarioKit.LoadTest --hub-latency --postgres <connection string> [--conversations N]
                  --hub-latency: a customer line posted on one node to its push on an agent console on the other, N lines each way
                  (docs/performance.md, "Agent hub on several nodes").
                       ScenarioKit.LoadTest --hub [--customers N] [--agents A] [--max-chats M] [--ramp S]
                                            [--url http://127.0.0.1:3978 --database path --secret s] [--scenario path] [--durable true|false]
                  Without --url the server runs in this process on 127.0.0.1 (a free port) with SQLite in a temp folder.
                  --postgres: the in-process server(s) use that PostgreSQL; --nodes N runs N servers on it and every conversation's
                  turns go round-robin across them (any node takes any turn). --stream-latency: how soon a Direct Line WebSocket on
                  one node hears a reply to a message posted on the other (docs/performance.md, "PostgreSQL and several nodes").
                  --hub: customers over Direct Line hand off to agents signed in at /agent (docs/performance.md, "Agent hub").
                       ScenarioKit.LoadTest --report [--turns N] [--database path] [--scenario path]
                  --report: fills a store with N (default 1,000,000) reference-support turns, then times the insight report (docs/performance.md, "Report").
                       ScenarioKit.LoadTest --compare [--connections C] [--duration S] [--warmup S] [--node path]
                  The same closed loop against, one after the other: the in-process ScenarioKit server, the botbuilder
                  reference bot (bench/botbuilder/server.js; run npm ci --ignore-scripts there first) and a raw Kestrel JSON echo.
                       ScenarioKit.LoadTest --layers [--connections C] [--duration S] [--warmup S]
                  The layer ladder (docs/performance.md, "Session 8"): the same closed loop against the raw Kestrel echo, then
                  the server's own pipeline with an echo for /api/messages, + the activity JSON and the turn bookkeeping with
                  recorded bot answers and an in-memory store, + the engine, + a commit's wait at each save, and the real
                  server on SQLite; each rung's CPU per turn, and what each layer adds.
                       --sample S   print the process's memory (RSS, GC heap, committed) every S seconds of the measured window
                       --live       with --sample: force a full collection at each sample and print the live heap too
                       --alloc-types N   print the N types with the most bytes allocated per turn in the measured window (sampled)
                       --gc-pauses  print the collector's pauses in the measured window by generation (mean, p50, p90, max, promoted bytes)
                       ScenarioKit.LoadTest --fill N [--database path | --postgres <connection string>] [--durable true|false]
                  Writes N reference turns (N/5 conversations) straight into a SQLite store, then expires the activity JSON
                  and prints the file size before and after (docs/performance.md, "Storage size and retention").
                  With --database the filled file is kept as it is (no expiry), to start a server on. With --postgres the
                  turns go into that database's tables (emptied first: give it a database of its own) and the table sizes are printed.
                       ScenarioKit.LoadTest --writer N [--connections C] [--durable true|false]
                  Writes N reference turns through a new SQLite store, C turns waiting at a time (its writer commits what waits
                  together: C is about the batch size), and prints the CPU per turn by thread, the writer's alone without HTTP
                  or the engine around it (docs/performance.md, "Session 8: the writer").
                """);
            return 2;
        }
        if (options.Hub) return await HubLoad.RunAsync(options);
        if (options.StreamLatency) return await StreamLatency.RunAsync(options);
        if (options.HubLatency) return await HubLatency.RunAsync(options);
        if (options.Report) return await ReportLoad.RunAsync(options);

        if (options.Fill > 0) return await StoreFill.RunAsync(options);
        if (options.Writer > 0) return await StoreFill.WriterCostAsync(options);
        if (options.Compare) return await Comparison.RunAsync(options);
        if (options.Layers) return await LayerLadder.RunAsync(options);
        // Several nodes on one PostgreSQL (or one node on it): turns go round-robin across the nodes.
        if (options.Postgres is not null) return await RunNodesAsync(options);


        await using var host = options.Url is null ? await InProcessServer.StartAsync(options) : null;
        var url = host?.Url ?? options.Url!;
        var storage = host is null ? "server's own settings" : options.Durable ? "in-process server, SQLite synchronous=FULL" : "in-process server, SQLite synchronous=NORMAL";
        Console.WriteLine($"target {url}/api/messages, {options.Connections} connections, warm-up {options.Warmup} s, measure {options.Duration} s, {storage}, {Environment.ProcessorCount} cores");
        var memory = options.SampleSeconds > 0 ? new MemorySampler(options.LiveHeap) : null;
        using var allocations = options.AllocationTypes > 0 ? new AllocationSampler() : null;
        using var pauses = options.GcPauses ? new GcPauseSampler() : null;
        var result = await ClosedLoop.RunAsync("scenariokit", url, options, (turn, _, body) => Check(turn, body),
            memory is null ? null : memory.Sample, TimeSpan.FromSeconds(options.SampleSeconds), new MeasuredWindows(allocations, pauses));
        result.Print(cpuIsServer: host is not null);
        memory?.Print();
        allocations?.Print(result.Turns, options.AllocationTypes);
        pauses?.Print();
        return result.Errors == 0 && result.Turns > 0 ? 0 : 1;
    }

    static async Task<int> RunNodesAsync(Options options)
    {
        var servers = new List<ScenarioServer>();
        var urls = new List<string>();
        string? tempDir = null;
        if (options.Url is { } given) urls.Add(given);
        else
        {
            tempDir = Path.Combine(Path.GetTempPath(), "scenariokit-load-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(tempDir);
            for (var n = 0; n < options.Nodes; n++)
            {
                var server = CreateServer(options, tempDir);
                await server.StartAsync();
                servers.Add(server);
                urls.Add(server.Urls.Single().ToString().TrimEnd('/'));
            }
        }

        var storage = servers.Count == 0 ? "server's own settings" : $"{servers.Count} in-process server(s) on PostgreSQL, turns round-robin across them";
        Console.WriteLine($"target {string.Join(", ", urls)} /api/messages, {options.Connections} connections, warm-up {options.Warmup} s, measure {options.Duration} s, {storage}, {Environment.ProcessorCount} cores");
        var result = await ClosedLoop.RunAsync("scenariokit", urls, options, (turn, _, body) => Check(turn, body));
        result.Print(cpuIsServer: servers.Count > 0);

        foreach (var node in servers)
        {
            await node.StopAsync();
            await node.DisposeAsync();
        }
        if (tempDir is not null)
        {
            try { Directory.Delete(tempDir, recursive: true); } catch (IOException) { }
        }
        return result.Errors == 0 && result.Turns > 0 ? 0 : 1;
    }

    /// <summary>An in-process server as the load test measures it: the reference scenario, SQLite in <paramref name="tempDir"/> or the given PostgreSQL.</summary>
    internal static ScenarioServer CreateServer(Options options, string tempDir, Action<ScenarioServerOptions>? configure = null, Action<IServiceCollection>? configureServices = null) =>
        ScenarioServer.Create(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"], o =>
        {
            configure?.Invoke(o);
            o.Sources.Add(options.Scenario ?? FindReferenceScenario());
            o.DatabasePath = options.Database ?? Path.Combine(tempDir, "load.db");
            o.DurableCommits = options.Durable;
            if (options.Postgres is { } connectionString)
            {
                o.Storage.Provider = StorageProvider.Postgres;
                o.Storage.ConnectionString = connectionString;
            }
            // The reference conversation ends with a handoff. In hub mode (the default) with no agent online the
            // customer would get the scenario's onTimeout path; channel mode keeps measuring the same work as
            // before the hub existed (the handoff.initiate event goes to the channel).
            o.Handoff.Mode = HandoffMode.Channel;
        }, configureServices, bots: null);

    // reference.js userActivity() with deliveryMode expectReplies.
    internal static byte[] UserActivity(string conversation, int turn) => Encoding.UTF8.GetBytes(
        $$"""{"type":"message","id":"{{conversation}}-{{turn + 1}}","timestamp":"2025-06-01T09:00:00.000Z","channelId":"bench","serviceUrl":"http://127.0.0.1:9/","from":{"id":"user-{{conversation}}","name":"Customer","role":"user"},"recipient":{"id":"bot","name":"Support Bot","role":"bot"},"conversation":{"id":"conv-{{conversation}}"},"locale":"en-US","text":"{{UserTurns[turn]}}","deliveryMode":"expectReplies"}""");

    // reference.js checkTurn(), on the texts and the handoff event's value.
    internal static string? Check(int turn, byte[] body) => ReplyCheck.Check(turn, body, ExpectedTexts[turn]);

    internal static string FindReferenceScenario()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "scenarios", "reference-support");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("scenarios/reference-support not found above the program; pass --scenario.");
    }

    internal static string FindScenario(Options options) => options.Scenario ?? FindReferenceScenario();

    internal sealed record Options(int Connections, int Duration, int Warmup, string? Url, string? Scenario, string? Database, bool Durable)
    {
        public bool Hub { get; init; }
        public bool Report { get; init; }
        public long Turns { get; init; } = 1_000_000;
        public int Customers { get; init; } = 500;
        public int Agents { get; init; } = 50;
        public int MaxChats { get; init; } = 10;
        public double Ramp { get; init; } = 5;
        public string? Secret { get; init; }
        public string? Postgres { get; init; }
        public int Nodes { get; init; } = 1;
        public bool StreamLatency { get; init; }
        public bool HubLatency { get; init; }
        public int Conversations { get; init; } = 200;
        public bool Compare { get; init; }
        public bool Layers { get; init; }
        public int SampleSeconds { get; init; }
        public bool LiveHeap { get; init; }
        public int AllocationTypes { get; init; }
        public bool GcPauses { get; init; }
        public long Fill { get; init; }
        public long Writer { get; init; }
        public string? Node { get; init; }

        public static Options? Parse(string[] args)
        {
            var o = new Options(32, 20, 5, null, null, null, true);
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                try
                {
                    o = args[i] switch
                    {
                        "--connections" or "-c" => o with { Connections = int.Parse(Next(), CultureInfo.InvariantCulture) },
                        "--duration" or "-d" => o with { Duration = int.Parse(Next(), CultureInfo.InvariantCulture) },
                        "--warmup" => o with { Warmup = int.Parse(Next(), CultureInfo.InvariantCulture) },
                        "--url" => o with { Url = Next().TrimEnd('/') },
                        "--scenario" => o with { Scenario = Next() },
                        "--database" => o with { Database = Next() },
                        "--durable" => o with { Durable = bool.Parse(Next()) },
                        "--hub" => o with { Hub = true },
                        "--report" => o with { Report = true },
                        "--turns" => o with { Turns = long.Parse(Next(), CultureInfo.InvariantCulture) },
                        "--customers" => o with { Customers = int.Parse(Next(), CultureInfo.InvariantCulture) },
                        "--agents" => o with { Agents = int.Parse(Next(), CultureInfo.InvariantCulture) },
                        "--max-chats" => o with { MaxChats = int.Parse(Next(), CultureInfo.InvariantCulture) },
                        "--ramp" => o with { Ramp = double.Parse(Next(), CultureInfo.InvariantCulture) },
                        "--secret" => o with { Secret = Next() },
                        "--postgres" => o with { Postgres = Next() },
                        "--nodes" => o with { Nodes = int.Parse(Next(), CultureInfo.InvariantCulture) },
                        "--stream-latency" => o with { StreamLatency = true },
                        "--hub-latency" => o with { HubLatency = true },
                        "--conversations" => o with { Conversations = int.Parse(Next(), CultureInfo.InvariantCulture) },
                        "--compare" => o with { Compare = true },
                        "--layers" => o with { Layers = true },
                        "--node" => o with { Node = Next() },
                        "--sample" => o with { SampleSeconds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                        "--gc-pauses" => o with { GcPauses = true },
                        "--live" => o with { LiveHeap = true },
                        "--alloc-types" => o with { AllocationTypes = int.Parse(Next(), CultureInfo.InvariantCulture) },
                        "--fill" => o with { Fill = long.Parse(Next(), CultureInfo.InvariantCulture) },
                        "--writer" => o with { Writer = long.Parse(Next(), CultureInfo.InvariantCulture) },
                        _ => throw new ArgumentException($"unknown option {args[i]}"),
                    };
                }
                catch (Exception e) when (e is ArgumentException or FormatException)
                {
                    Console.Error.WriteLine(e.Message);
                    return null;
                }
            }
            if (o.Hub && (o.Customers < 1 || o.Agents < 1 || o.MaxChats is < 1 or > 25 || o.Ramp < 0)) return null;
            if (o.Hub && o.Url is not null && (o.Database is null || o.Secret is null))
            {
                Console.Error.WriteLine("--hub --url needs the server's --database (agents are created in it) and its Direct Line --secret.");
                return null;
            }
            if ((o.Nodes != 1 || o.StreamLatency || o.HubLatency) && (o.Postgres is null || o.Url is not null || o.Nodes < 1))
            {
                Console.Error.WriteLine("--nodes, --stream-latency and --hub-latency need --postgres (in-process servers sharing that database).");
                return null;
            }
            return o.Connections > 0 && o.Duration > 0 && o.Warmup >= 0 ? o : null;
        }
    }
}
