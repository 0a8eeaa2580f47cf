using System.Runtime.CompilerServices;
using ScenarioKit.Storage;

namespace ScenarioKit.Insight.Tests;

/// <summary>A turn log in memory (ordered as the store returns it) with no archived packages.</summary>
internal sealed class MemoryTurnLog : ITurnLog, IPackageArchive
{
    readonly List<TurnLogEntry> _turns = [];
    public static readonly DateTimeOffset Start = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);

    public MemoryTurnLog Add(string key, TimeSpan at, TurnSummary summary, string version = "1.0.0")
    {
        _turns.Add(new TurnLogEntry(key, _turns.Count(t => t.Key == key) + 1, Start + at, "shop", version, summary.ToUtf8Json()));
        return this;
    }

    public async IAsyncEnumerable<TurnLogEntry> ReadTurnsAsync(TurnLogQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var t in _turns.Where(t => query.ScenarioVersion is null || t.ScenarioVersion == query.ScenarioVersion).OrderBy(t => t.Key, StringComparer.Ordinal).ThenBy(t => t.Turn))
            yield return t;
    }

    public Task SavePackageAsync(string scenarioId, string version, string contentHash, byte[] package, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<byte[]?> GetPackageAsync(string scenarioId, string version, CancellationToken cancellationToken) => Task.FromResult<byte[]?>(null);

    public static TurnSummary Ask(string intent, string text = "x") => new() { Input = "message", Text = text, Intent = intent, FlowsStarted = [intent], Steps = [$"{intent}/0"], Flow = intent, WaitingStep = $"{intent}/0" };

    public static TurnSummary Answer(string flow, string text = "12345678") => new() { Input = "message", Text = text, Steps = [$"{flow}/1"] };

    public static TurnSummary Quick(string intent) => new() { Input = "message", Text = intent, Intent = intent, FlowsStarted = [intent], Steps = [$"{intent}/0"] };

    public InsightReportBuilder Builder() => new(this, this);
}
