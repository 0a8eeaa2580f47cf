using System.Diagnostics;
using System.Globalization;
using ScenarioKit.Insight;
using ScenarioKit.Language;
using ScenarioKit.Model;
using ScenarioKit.Storage;

namespace ScenarioKit.LoadTest;

/// <summary>
/// <c>--report</c> (docs/performance.md, "Report"): fills a SQLite store with N turns of realistic reference-support
/// conversations through the store's own writes (contained, escalated, abandoned at the ask, not understood), then
/// times the insight report over them and reports the process's peak working set: the report streams the turn log,
/// so memory must not grow with N.
/// </summary>
static class ReportLoad
{
    const string Scenario = "reference-support";
    const string Version = "1.0.0";

    public static async Task<int> RunAsync(Program.Options options)
    {
        var path = options.Database ?? Path.Combine(Path.GetTempPath(), $"scenariokit-report-{options.Turns}.db");
        var fill = Stopwatch.StartNew();
        var written = await FillAsync(path, options.Turns, options.Scenario ?? Program.FindScenario(options));
        fill.Stop();
        if (written > 0) Console.WriteLine($"filled {path}: {written:N0} turns in {fill.Elapsed.TotalSeconds:F1} s");
        else Console.WriteLine($"reusing {path}");

        await using var store = new SqliteConversationStore(path, fullSync: false);
        // Where the time goes: reading the turn log alone, then reading and parsing every turn's JSON.
        var phase = Stopwatch.StartNew();
        long read = 0, parsed = 0;
        await foreach (var _ in store.ReadTurnsAsync(new TurnLogQuery(Scenario), CancellationToken.None)) read++;
        var readSeconds = phase.Elapsed.TotalSeconds;
        phase.Restart();
        await foreach (var entry in store.ReadTurnsAsync(new TurnLogQuery(Scenario), CancellationToken.None)) parsed += TurnSummary.FromUtf8Json(entry.Json.Span).Input.Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"read {read:N0} turns: {readSeconds:F2} s; read + parse JSON: {phase.Elapsed.TotalSeconds:F2} s"));
        GC.Collect();
        var before = Process.GetCurrentProcess().WorkingSet64;
        var watch = Stopwatch.StartNew();
        var report = await new InsightReportBuilder(store, store).BuildAsync(new ReportFilter(Scenario), new InsightOptions(), CancellationToken.None);
        var html = ScenarioKit.Insight.Rendering.HtmlReportWriter.Write(report);
        watch.Stop();
        var process = Process.GetCurrentProcess();
        var s = report.Scenarios.Single();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"report: {s.Turns:N0} turns, {s.Conversations.Total + s.Conversations.Ongoing:N0} conversations in {watch.Elapsed.TotalSeconds:F2} s " +
            $"({s.Turns / watch.Elapsed.TotalSeconds:N0} turns/s); html {html.Length / 1024} KiB; working set before {before / 1048576} MiB, peak {process.PeakWorkingSet64 / 1048576} MiB"));
        Console.WriteLine($"outcomes: {s.Conversations}");
        return 0;
    }

    /// <summary>Writes conversations until <paramref name="turns"/> turns are stored; 0 when the file already has them.</summary>
    static async Task<long> FillAsync(string path, long turns, string scenarioPath)
    {
        await using var store = new SqliteConversationStore(path, fullSync: false);
        var existing = 0L;
        await foreach (var _ in store.ReadTurnsAsync(new TurnLogQuery(Scenario), CancellationToken.None))
        {
            if (++existing >= turns) return 0;
        }
        var compiled = ScenarioCompiler.Compile(scenarioPath);
        var package = compiled.Package ?? throw new InvalidOperationException($"{scenarioPath} does not compile.");
        await store.SavePackageAsync(Scenario, Version, package.Manifest.ContentHash, PackageFormat.Write(package), CancellationToken.None);

        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var written = existing;
        var conversation = 0;
        var pending = new List<Task>(256);
        while (written < turns)
        {
            var script = ConversationScripts.Pick(conversation);
            var key = $"bench:{conversation:D8}";
            var at = start.AddMinutes(conversation * 0.25);
            pending.Add(WriteConversationAsync(store, key, at, script));
            written += script.Length;
            conversation++;
            if (pending.Count == 256)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }
        await Task.WhenAll(pending);
        return written;
    }

    static async Task WriteConversationAsync(SqliteConversationStore store, string key, DateTimeOffset at, TurnSummary[] script)
    {
        for (var t = 0; t < script.Length; t++)
        {
            var when = at.AddSeconds(40 * t);
            var record = new ConversationRecord(key, key, "bench", Scenario, Version, "user", ReadOnlyMemory<byte>.Empty, t + 1, 0, true, false, at, when);
            await store.SaveAsync(new TurnWrite(record, t, []) { Turn = new TurnLogEntry(key, t + 1, when, Scenario, Version, script[t].ToUtf8Json()) }, CancellationToken.None);
        }
    }
}

/// <summary>The reference scenario's conversations as the server logs them, mixed as in production-like traffic.</summary>
static class ConversationScripts
{
    static readonly TurnSummary Greeting = new() { Input = "message", Text = "hello", Intent = "greeting", Score = 1, FlowsStarted = ["greeting"], Steps = ["greeting/0"], Replies = ["Hi! I'm the support assistant. What can I help you with?"] };
    static readonly TurnSummary AskOrder = new() { Input = "message", Text = "where is my order", Intent = "order_status", Score = 1, FlowsStarted = ["order_status"], Steps = ["order_status/0"], Flow = "order_status", WaitingStep = "order_status/0", Replies = ["Sure. Please type your 8-digit order number."] };
    static readonly TurnSummary Invalid = new() { Input = "message", Text = "abc", Steps = ["order_status/0"], Flow = "order_status", WaitingStep = "order_status/0", Replies = ["That doesn't look like an 8-digit order number. Please try again (retry 1 of 2)."] };
    static readonly TurnSummary Number = new() { Input = "message", Text = "12345678", Steps = ["order_status/1", "order_status/2", "order_status/2/then/0", "order_status/3", "order_status/4"], Replies = ["Order 12345678: shipped on 2 June, arriving 5 June.", "Anything else?"] };
    static readonly TurnSummary Returns = new() { Input = "message", Text = "returns", Intent = "returns", Score = 1, FlowsStarted = ["returns"], Steps = ["returns/0"], Replies = ["You can return any item within 30 days."] };
    static readonly TurnSummary Human = new() { Input = "message", Text = "talk to a human", Intent = "handoff", Score = 1, HandoffRule = "asked-for-human", HandoffQueue = "support", HandoffWithinHours = true, Replies = ["Connecting you to an agent"] };
    static readonly TurnSummary Accepted = new() { Input = "handoff", Name = "accepted" };
    static readonly TurnSummary Completed = new() { Input = "handoff", Name = "completed" };

    static TurnSummary NotUnderstood(int n) => new() { Input = "message", Text = Phrases[n % Phrases.Length], Fallback = true, Replies = ["Sorry, I didn't get that."] };

    static readonly string[] Phrases =
    [
        "can I change my delivery address", "change the delivery address please", "do you ship to Canada", "is shipping free",
        "my coupon does not work", "the coupon code is rejected", "I want to cancel", "cancel my order now", "配送先を変更したい", "クーポンが使えない",
    ];

    public static TurnSummary[] Pick(int n) => (n % 10) switch
    {
        0 or 1 or 2 => [Greeting, AskOrder, Number, Returns],
        3 => [Greeting, AskOrder, Invalid, Number, Returns, Greeting],
        4 => [Greeting, AskOrder, Invalid, Invalid],
        5 => [Greeting, Human, Accepted, Completed],
        6 => [AskOrder, Human, Accepted],
        7 => [NotUnderstood(n), NotUnderstood(n / 10), Returns],
        8 => [NotUnderstood(n / 10), NotUnderstood(n / 100)],
        _ => [Greeting, Returns, AskOrder, Number, Greeting, Returns, AskOrder, Number],
    };
}
