using System.Collections.Immutable;
using ScenarioKit.Insight.HotSpots;
using ScenarioKit.Insight.Outcomes;

namespace ScenarioKit.Insight;

/// <summary>Turns a scenario's totals into report rows: rates, intervals, verdicts, YAML locations, nearest intents.</summary>
internal static class ScenarioReportFactory
{
    public static async Task<ScenarioReport> CreateAsync(ScenarioTotals totals, InsightOptions options, CancellationToken cancellationToken)
    {
        var index = totals.Index;
        var episodes = new OutcomeTally();
        foreach (var tally in totals.Intents.Values)
        {
            foreach (var outcome in Enum.GetValues<Outcome>())
            {
                for (var i = 0; i < tally[outcome]; i++) episodes.Add(outcome);
            }
        }
        return new ScenarioReport(
            totals.ScenarioId,
            index?.Model.Locale ?? "",
            [.. totals.Versions],
            totals.Turns,
            totals.Conversations.ToCounts(),
            episodes.ToCounts(),
            Intents(totals, options),
            Stages(totals),
            [.. totals.Transitions.OrderByDescending(t => t.Value).ThenBy(t => t.Key.From, StringComparer.Ordinal).ThenBy(t => t.Key.To, StringComparer.Ordinal)
                .Select(t => new TransitionRow(t.Key.From, t.Key.To, t.Value))],
            Proactive(totals),
            Steps(totals),
            HotSpots(totals, options),
            Handoffs(totals))
        {
            MissingVersions = [.. totals.MissingVersions],
            NotUnderstood = totals.HotSpots.Total,
        };
    }

    static ImmutableArray<IntentRow> Intents(ScenarioTotals totals, InsightOptions options)
    {
        var names = (totals.Index?.Model.Intents.Select(i => i.Name) ?? []).Concat(totals.Intents.Keys).Distinct(StringComparer.Ordinal);
        var rows = names.Select(name =>
        {
            var tally = totals.Intents.GetValueOrDefault(name) ?? new OutcomeTally();
            var volume = tally[Outcome.Contained] + tally[Outcome.Escalated] + tally[Outcome.Abandoned];
            double? rate = volume == 0 ? null : Math.Round((double)tally[Outcome.Contained] / volume, 4);
            var (low, high) = Wilson.Interval(tally[Outcome.Contained], volume);
            var verdict = volume < options.MinimumSample ? Verdict.TooFewToJudge : rate < options.Target ? Verdict.Below : Verdict.Meets;
            var fit = totals.Index?.Intent(name)?.DigitalFit.ToString().ToLowerInvariant() ?? "";
            return new IntentRow(name, fit, volume, tally[Outcome.Contained], tally[Outcome.Escalated], tally[Outcome.Abandoned], tally[Outcome.Ongoing],
                rate, volume == 0 ? null : Math.Round(low, 4), volume == 0 ? null : Math.Round(high, 4), verdict);
        });
        // Below the line first (worst first), then the rest by contained share, then those with no finished episode.
        return [.. rows.OrderBy(r => r.Volume == 0 ? 2 : r.ContainedRate < options.Target ? 0 : 1)
            .ThenBy(r => r.ContainedRate ?? 1).ThenByDescending(r => r.Volume).ThenBy(r => r.Intent, StringComparer.Ordinal)];
    }

    static ImmutableArray<StageRow> Stages(ScenarioTotals totals)
    {
        var journey = totals.Index?.Model.Journey.Select(s => s.Name) ?? [];
        return [.. journey.Concat(totals.Stages.Keys.Order(StringComparer.Ordinal)).Distinct(StringComparer.Ordinal)
            .Select(stage => new StageRow(stage, totals.Stages.GetValueOrDefault(stage)))];
    }

    static ImmutableArray<ProactiveRow> Proactive(ScenarioTotals totals)
    {
        var declared = totals.Index?.Model.Journey.SelectMany(s => s.Proactive.Select(p => p.Id)) ?? [];
        return [.. declared.Concat(totals.ProactiveRules.Keys.Order(StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).Select(rule =>
        {
            var t = totals.ProactiveRules.GetValueOrDefault(rule) ?? new ProactiveTotals();
            return new ProactiveRow(rule, totals.Index?.ProactiveStage(rule), t.Shown, t.Engaged, t.Outcomes.ToCounts(),
                [.. t.LastStages.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => new NamedCount(s.Key, s.Value))]);
        })];
    }

    static ImmutableArray<StepRow> Steps(ScenarioTotals totals)
    {
        var known = totals.Index?.Steps.ToList() ?? [];
        var ids = known.Select(s => s.Id).Concat(totals.Steps.Keys.Order(StringComparer.Ordinal)).Distinct(StringComparer.Ordinal);
        return [.. ids.Select(id =>
        {
            var t = totals.Steps.GetValueOrDefault(id) ?? new StepTotals();
            var info = totals.Index?.Step(id);
            return new StepRow(id, info?.Flow ?? id.Split('/')[0], info?.Kind ?? "", info is null ? "" : ScenarioIndex.Location(info.Span),
                t.Reached, t.AbandonedHere, t.AskRetries, t.OnFail, info?.Kind == "ask" && t.Reached > 0 ? Math.Round((double)t.OnFail / t.Reached, 4) : null,
                t.ActionFailures, [.. t.RetrySamples]);
        })];
    }

    static ImmutableArray<HotSpotRow> HotSpots(ScenarioTotals totals, InsightOptions options)
    {
        var top = totals.HotSpots.Groups.OrderByDescending(g => g.Count).ThenBy(g => g.Text, StringComparer.Ordinal).Take(options.HotSpotLimit).ToList();
        var nearest = totals.Index is { } index && top.Count > 0 ? new NearestIntent(index.Package) : null;
        var rows = ImmutableArray.CreateBuilder<HotSpotRow>(top.Count);
        foreach (var group in top)
        {
            var (intent, score) = nearest is null ? (null, 0) : nearest.Find(group.Text);
            rows.Add(new HotSpotRow(group.Text, group.Step, group.Count, [.. group.Samples], intent, intent is null ? null : score));
        }
        return rows.ToImmutable();
    }

    static ImmutableArray<HandoffRow> Handoffs(ScenarioTotals totals) =>
        [.. totals.Handoffs.OrderByDescending(h => h.Value.Count).ThenBy(h => h.Key.Rule, StringComparer.Ordinal).ThenBy(h => h.Key.Queue, StringComparer.Ordinal).Select(h =>
            new HandoffRow(h.Key.Rule, totals.Index?.RuleSpan(h.Key.Rule) is { } span ? ScenarioIndex.Location(span) : "", h.Key.Queue,
                h.Value.Count, h.Value.WithinHours, h.Value.OutOfHours, h.Value.Unattended, h.Value.Accepted,
                h.Value.Accepted == 0 ? null : Math.Round(h.Value.WaitSeconds / h.Value.Accepted, 1),
                [.. h.Value.Outcomes.OrderByDescending(o => o.Value).ThenBy(o => o.Key, StringComparer.Ordinal).Select(o => new NamedCount(o.Key, o.Value))]))];
}
