using System.Collections.Immutable;
using ScenarioKit.Hub.Storage;
using ScenarioKit.Insight.HotSpots;
using ScenarioKit.Insight.Outcomes;
using ScenarioKit.Model;
using ScenarioKit.Storage;

namespace ScenarioKit.Insight;

/// <summary>
/// Builds the report from the turn log, one conversation at a time (the log arrives ordered by conversation), with
/// each conversation judged against the package version it ran on. Memory grows with the scenario (intents, steps,
/// rules, fallback groups), not with the number of turns.
/// </summary>
public sealed class InsightReportBuilder(ITurnLog turns, IPackageArchive packages, IHubStore? hub = null)
{
    public async Task<InsightReport> BuildAsync(ReportFilter filter, InsightOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var scenarios = await ReadAsync(filter, options, cancellationToken).ConfigureAwait(false);
        var reports = ImmutableArray.CreateBuilder<ScenarioReport>(scenarios.Count);
        foreach (var totals in scenarios.Values.OrderBy(t => t.ScenarioId, StringComparer.Ordinal))
            reports.Add(await ScenarioReportFactory.CreateAsync(totals, options, cancellationToken).ConfigureAwait(false));
        return new InsightReport(options.Now, filter,
            new ReportSettings(options.SessionTimeout.TotalMinutes, options.Target, options.MinimumSample, options.Mask), reports.ToImmutable());
    }

    /// <summary>The report of version <paramref name="to"/> with every metric beside version <paramref name="from"/>'s.</summary>
    public async Task<InsightReport> CompareAsync(ReportFilter filter, string from, string to, InsightOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        // The comparison reads only the earlier version's figures: its hot-spot rows (a recognition per row) are not built.
        var before = await BuildAsync(filter with { Version = from }, options with { HotSpotLimit = 0 }, cancellationToken).ConfigureAwait(false);
        var after = await BuildAsync(filter with { Version = to }, options, cancellationToken).ConfigureAwait(false);
        return after with { Comparison = VersionComparison.Compare(before, after), CompareFrom = from, CompareTo = to };
    }

    async Task<Dictionary<string, ScenarioTotals>> ReadAsync(ReportFilter filter, InsightOptions options, CancellationToken cancellationToken)
    {
        var scenarios = new Dictionary<string, ScenarioTotals>(StringComparer.Ordinal);
        var indexes = new Dictionary<(string, string), ScenarioIndex?>();
        var masking = options.Masking;
        var query = new TurnLogQuery(filter.ScenarioId, filter.Version, filter.FromUtc, filter.ToUtc);
        ConversationWalker? walker = null;
        string? key = null;
        await foreach (var entry in turns.ReadTurnsAsync(query, cancellationToken).ConfigureAwait(false))
        {
            if (!string.Equals(entry.Key, key, StringComparison.Ordinal))
            {
                walker?.Complete();
                key = entry.Key;
                if (!scenarios.TryGetValue(entry.ScenarioId, out var totals))
                {
                    var agents = hub is null ? null : await HubAgentOutcomes.LoadAsync(hub, entry.ScenarioId, cancellationToken).ConfigureAwait(false);
                    scenarios[entry.ScenarioId] = totals = new ScenarioTotals(entry.ScenarioId, agents);
                }
                var index = await IndexAsync(indexes, entry.ScenarioId, entry.ScenarioVersion, cancellationToken).ConfigureAwait(false);
                if (totals.Versions.Add(entry.ScenarioVersion) && index is null) totals.MissingVersions.Add(entry.ScenarioVersion);
                if (index is not null && (totals.Index is null || VersionOrder.Compare(index.Model.Version, totals.Index.Model.Version) > 0)) totals.Index = index;
                walker = new ConversationWalker(totals, index, options, masking);
            }
            walker!.Add(entry, TurnSummary.FromUtf8Json(entry.Json.Span));
        }
        walker?.Complete();
        return scenarios;
    }

    async Task<ScenarioIndex?> IndexAsync(Dictionary<(string, string), ScenarioIndex?> cache, string scenarioId, string version, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue((scenarioId, version), out var index)) return index;
        var bytes = await packages.GetPackageAsync(scenarioId, version, cancellationToken).ConfigureAwait(false);
        if (bytes is not null)
        {
            using var stream = new MemoryStream(bytes, writable: false);
            try
            {
                index = new ScenarioIndex(PackageFormat.Read(stream));
            }
            catch (InvalidDataException)
            {
                // A corrupt archived package: the turns are still counted, without YAML locations (listed as missing).
            }
        }
        cache[(scenarioId, version)] = index;
        return index;
    }
}

/// <summary>Orders versions as numbers where they are numbers (1.10.0 after 1.9.0), else as text.</summary>
internal static class VersionOrder
{
    public static int Compare(string a, string b) =>
        Version.TryParse(a.Split('-', '+')[0], out var x) && Version.TryParse(b.Split('-', '+')[0], out var y) && x != y
            ? x.CompareTo(y)
            : string.CompareOrdinal(a, b);
}
