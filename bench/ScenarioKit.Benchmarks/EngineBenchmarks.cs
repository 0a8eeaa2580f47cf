using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using ScenarioKit.Engine;
using ScenarioKit.Language;

namespace ScenarioKit.Benchmarks;

/// <summary>
/// The reference conversation (shared/bench/REFERENCE.md) in process: scenarios/reference-support
/// compiled once, then conversations of 5 turns through <see cref="ScenarioRuntime.RunTurnAsync"/>
/// with the real script action (no mocks). Two forms, reported per turn (OperationsPerInvoke = 5):
/// "reference turn" hands the state object from turn to turn; "stored turn" does what the server does
/// around a turn (state read from its JSON bytes, the turn, the new state written as JSON bytes), the
/// work botbuilder's MemoryStorage does in bench/botbuilder. Neither checks replies in the timed
/// iterations: <see cref="Check"/> verifies a conversation in GlobalSetup, and the latency probe (after
/// the BenchmarkDotNet runs) checks every reply of its 20,000 stored-turn conversations outside the
/// timed span of each turn, as bench/botbuilder/reference-bot.js does.
/// Run: dotnet run -c Release --project bench/ScenarioKit.Benchmarks -- --filter '*Engine*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EngineBenchmarkConfig))]
public class EngineBenchmarks
{
    internal const int TurnsPerConversation = 5;
    static readonly string[] UserTurns = ["hello", "where is my order", "abc", "12345678", "talk to a human"];

    ScenarioRuntime _runtime = null!;
    TurnServices _services = null!;
    MessageInput[] _inputs = null!;
    ConversationState _finalState = null!;
    int _conversation;

    [GlobalSetup(Target = nameof(StoredConversation))]
    public void SetupConversation()
    {
        // A figure left by an earlier run must never be reported as this run's.
        File.Delete(LatencyProbe.ResultPath);
        Setup();
    }

    [GlobalSetup(Targets = [nameof(ReferenceConversation), nameof(SerializeState), nameof(DeserializeState)])]
    public void Setup()
    {
        _runtime = LoadReference();
        _services = new TurnServices(TimeProvider.System, new DefaultActionInvoker(new HttpClient(), TimeProvider.System));
        _inputs = [.. UserTurns.Select((text, i) => new MessageInput(text, $"t{i + 1}"))];
        _finalState = Check(_runtime, _services, _inputs);
    }

    [Benchmark(OperationsPerInvoke = TurnsPerConversation, Description = "reference turn")]
    public ConversationState ReferenceConversation()
    {
        var state = _runtime.Start(ConversationId(++_conversation));
        foreach (var input in _inputs)
            state = Run(_runtime, state, input, _services).State;
        return state;
    }

    [Benchmark(OperationsPerInvoke = TurnsPerConversation, Description = "stored turn")]
    public byte[] StoredConversation() => StoredConversation(_runtime, _services, _inputs, ConversationId(++_conversation), default);

    /// <summary>
    /// One conversation as the server runs it: no stored state before the first turn (a new conversation),
    /// then each turn reads the state from the last turn's JSON bytes and writes its own. With
    /// <paramref name="timing"/>, each turn's ticks go into it and its replies are checked outside that span.
    /// </summary>
    internal static byte[] StoredConversation(ScenarioRuntime runtime, TurnServices services, MessageInput[] inputs, string id, Span<long> timing, bool check = false)
    {
        byte[]? stored = null;
        for (var t = 0; t < inputs.Length; t++)
        {
            var start = Stopwatch.GetTimestamp();
            var state = stored is null ? runtime.Start(id) : ConversationState.Deserialize(stored);
            var result = Run(runtime, state, inputs[t], services);
            stored = result.State.Serialize();
            if (!timing.IsEmpty) timing[t] = Stopwatch.GetTimestamp() - start;
            if (check) CheckTurn(t, result);
        }
        return stored!;
    }

    [Benchmark(Description = "serialize final state")]
    public byte[] SerializeState() => _finalState.Serialize();

    [Benchmark(Description = "deserialize final state")]
    public ConversationState DeserializeState() => ConversationState.Deserialize(_serialized ??= _finalState.Serialize());

    byte[]? _serialized;

    [GlobalCleanup(Target = nameof(StoredConversation))]
    public void MeasureLatency() => LatencyProbe.Run(_runtime, _services, _inputs, _finalState.Serialize().Length);

    static string ConversationId(int n) => "conv-" + n.ToString(CultureInfo.InvariantCulture);

    internal static TurnResult Run(ScenarioRuntime runtime, ConversationState state, MessageInput input, TurnServices services)
    {
        var pending = runtime.RunTurnAsync(state, input, services);
        // The reference turns never wait on I/O, so the ValueTask has completed synchronously.
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    internal static ScenarioRuntime LoadReference()
    {
        var root = AppContext.BaseDirectory;
        var dir = new DirectoryInfo(root);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ScenarioKit.sln"))) dir = dir.Parent;
        // BenchmarkDotNet runs a generated copy of this project; fall back to the working directory's repository.
        dir ??= new DirectoryInfo(Directory.GetCurrentDirectory());
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ScenarioKit.sln"))) dir = dir.Parent;
        var path = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("run from inside the ScenarioKit repository"), "scenarios", "reference-support");
        var result = ScenarioCompiler.Compile(path);
        if (!result.Success) throw new InvalidOperationException("reference-support does not compile: " + string.Join("; ", result.Diagnostics));
        return ScenarioRuntime.Load(result.Package!);
    }

    /// <summary>The replies of each reference turn (reference.js); a handoff event is "&lt;handoff&gt;".</summary>
    static readonly string[][] Expected =
    [
        ["Hi! I'm the support assistant. What can I help you with?"],
        ["Sure. Please type your 8-digit order number."],
        ["That doesn't look like an 8-digit order number. Please try again (retry 1 of 2)."],
        ["Order 12345678: shipped on 2 June, arriving 5 June.", "Anything else?"],
        ["<handoff>", "Connecting you to an agent"],
    ];

    internal static void CheckTurn(int turn, TurnResult result)
    {
        var expected = Expected[turn];
        var outputs = result.Outputs;
        var same = outputs.Length == expected.Length;
        for (var i = 0; same && i < expected.Length; i++)
            same = (outputs[i] is BotMessage m ? m.Text : "<handoff>") == expected[i];
        if (!same)
            throw new InvalidOperationException($"turn {turn + 1}: expected {string.Join(" | ", expected)}, got {string.Join(" | ", outputs.Select(o => o is BotMessage m ? m.Text : "<handoff>"))}");
    }

    /// <summary>Runs one conversation and checks every reply against reference.js; the benchmark refuses to run a wrong bot.</summary>
    internal static ConversationState Check(ScenarioRuntime runtime, TurnServices services, MessageInput[] inputs)
    {
        var state = runtime.Start("check");
        for (var t = 0; t < inputs.Length; t++)
        {
            var result = Run(runtime, state, inputs[t], services);
            CheckTurn(t, result);
            state = result.State;
        }
        var transcript = state.Transcript.Length;
        if (transcript != 11) throw new InvalidOperationException($"transcript has {transcript} entries, expected 11");
        return state;
    }
}

/// <summary>
/// Times each stored turn individually (Stopwatch) to get percentiles, which BenchmarkDotNet's per-iteration
/// statistics cannot give, and checks every reply outside the timed spans. Turns/s is turns ÷ the sum of the
/// timed spans, the figure bench/botbuilder/reference-bot.js reports the same way.
/// </summary>
internal static class LatencyProbe
{
    public const int WarmupConversations = 500;
    static readonly TimeSpan WarmupTime = TimeSpan.FromSeconds(3);
    public const int Conversations = 20_000;

    public static string ResultPath => Path.Combine(Path.GetTempPath(), "scenariokit-engine-latency.json");

    public static void Run(ScenarioRuntime runtime, TurnServices services, MessageInput[] inputs, int stateBytes)
    {
        var warming = Stopwatch.StartNew();
        for (var c = 0; c < WarmupConversations || warming.Elapsed < WarmupTime; c++) EngineBenchmarks.StoredConversation(runtime, services, inputs, "warm-" + c, default, check: true);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var samples = new long[Conversations * inputs.Length];
        var (collections, paused, allocated) = (GC.CollectionCount(0), GC.GetTotalPauseDuration(), GC.GetAllocatedBytesForCurrentThread());
        for (var c = 0; c < Conversations; c++)
            EngineBenchmarks.StoredConversation(runtime, services, inputs, "lat-" + c, samples.AsSpan(c * inputs.Length, inputs.Length), check: true);
        var timed = TimeSpan.FromSeconds((double)samples.Sum() / Stopwatch.Frequency);
        var perTurn = Enumerable.Range(0, inputs.Length).Select(t =>
        {
            var turn = samples.Where((_, i) => i % inputs.Length == t).Order().ToArray();
            return string.Create(CultureInfo.InvariantCulture,
                $"turn {t + 1}: p50 {turn[turn.Length / 2] * 1e6 / Stopwatch.Frequency:F1} µs, p99 {turn[(int)(turn.Length * 0.99)] * 1e6 / Stopwatch.Frequency:F1} µs");
        });
        Console.WriteLine("// latency probe per turn: " + string.Join("; ", perTurn));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// latency probe GC: {GC.CollectionCount(0) - collections} collections, {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F1} ms paused, {(GC.GetAllocatedBytesForCurrentThread() - allocated) / samples.Length:N0} bytes allocated per turn (replies checked included)"));
        Array.Sort(samples);
        double Micro(double q) => samples[Math.Min(samples.Length - 1, (int)Math.Ceiling(q * samples.Length) - 1)] * 1_000_000.0 / Stopwatch.Frequency;
        var report = new LatencyReport(Micro(0.50), Micro(0.90), Micro(0.99), Micro(0.999), Micro(1.0),
            samples.Length / timed.TotalSeconds, stateBytes, samples.Length);
        File.WriteAllText(ResultPath, JsonSerializer.Serialize(report));
        Console.WriteLine($"// latency probe: {report}");
    }

    public static LatencyReport? Read()
    {
        try
        {
            return File.Exists(ResultPath) ? JsonSerializer.Deserialize<LatencyReport>(File.ReadAllText(ResultPath)) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

internal sealed record LatencyReport(double P50Us, double P90Us, double P99Us, double P999Us, double MaxUs, double TurnsPerSecond, int StateBytes, int Turns)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Turns} turns, p50 {P50Us:F1} µs, p90 {P90Us:F1} µs, p99 {P99Us:F1} µs, p99.9 {P999Us:F1} µs, max {MaxUs:F0} µs, {TurnsPerSecond:F0} turns/s, state {StateBytes} bytes");
}

internal sealed class EngineBenchmarkConfig : ManualConfig
{
    public EngineBenchmarkConfig()
    {
        AddColumn(new TurnsPerSecondColumn());
        AddColumn(new LatencyColumn("p50/turn", r => r.P50Us, "µs"));
        AddColumn(new LatencyColumn("p99/turn", r => r.P99Us, "µs"));
        AddColumn(new LatencyColumn("p99.9/turn", r => r.P999Us, "µs"));
        AddColumn(new LatencyColumn("state", r => r.StateBytes, "B"));
    }

    /// <summary>1 s / mean time per turn, for the per-turn benchmark.</summary>
    sealed class TurnsPerSecondColumn : IColumn
    {
        public string Id => "ScenarioKit.TurnsPerSecond";
        public string ColumnName => "Turns/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Turns per second on one thread: 1 s / mean per turn";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            if (benchmarkCase.Descriptor.WorkloadMethod.Name is not (nameof(EngineBenchmarks.ReferenceConversation) or nameof(EngineBenchmarks.StoredConversation))) return "-";
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            return mean is > 0 ? (1e9 / mean.Value).ToString("N0", CultureInfo.InvariantCulture) : "?";
        }
    }

    /// <summary>A figure from the latency probe (written by the benchmark process, read here in the host).</summary>
    sealed class LatencyColumn(string name, Func<LatencyReport, double> pick, string unit) : IColumn
    {
        public string Id => "ScenarioKit." + name;
        public string ColumnName => $"{name} ({unit})";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 1;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => $"{name} from the latency probe ({LatencyProbe.Conversations} conversations, each stored turn timed, every reply checked outside the timed spans)";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            if (benchmarkCase.Descriptor.WorkloadMethod.Name != nameof(EngineBenchmarks.StoredConversation)) return "-";
            return LatencyProbe.Read() is { } report ? pick(report).ToString("0.#", CultureInfo.InvariantCulture) : "?";
        }
    }
}
