using System.Collections.Immutable;

namespace ScenarioKit.Insight;

/// <summary>Every headline metric of two reports side by side, per scenario: conversations, outcome shares, each intent, each step's drop-off, fallbacks and handoffs.</summary>
internal static class VersionComparison
{
    public static ImmutableArray<ComparisonRow> Compare(InsightReport from, InsightReport to)
    {
        var rows = ImmutableArray.CreateBuilder<ComparisonRow>();
        var ids = from.Scenarios.Select(s => s.ScenarioId).Concat(to.Scenarios.Select(s => s.ScenarioId)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var a = from.Scenarios.FirstOrDefault(s => s.ScenarioId == id);
            var b = to.Scenarios.FirstOrDefault(s => s.ScenarioId == id);
            void Add(string metric, Func<ScenarioReport, double?> value) => rows.Add(new ComparisonRow(id, metric, a is null ? null : value(a), b is null ? null : value(b)));

            Add("conversations", s => s.Conversations.Total);
            Add("conversations contained %", s => Share(s.Conversations.Contained, s.Conversations.Total));
            Add("conversations escalated %", s => Share(s.Conversations.Escalated, s.Conversations.Total));
            Add("conversations abandoned %", s => Share(s.Conversations.Abandoned, s.Conversations.Total));
            Add("conversations unengaged %", s => Share(s.Conversations.Unengaged, s.Conversations.Total));
            Add("intent episodes contained %", s => Share(s.Episodes.Contained, s.Episodes.Total));
            foreach (var intent in Names(a?.Intents.Select(i => i.Intent), b?.Intents.Select(i => i.Intent)))
            {
                Add($"intent {intent}: episodes", s => s.Intents.FirstOrDefault(i => i.Intent == intent)?.Volume);
                Add($"intent {intent}: contained %", s => s.Intents.FirstOrDefault(i => i.Intent == intent)?.ContainedRate);
            }
            foreach (var step in Names(a?.Steps.Where(r => r.AbandonedHere + r.AskRetries > 0).Select(r => r.Step), b?.Steps.Where(r => r.AbandonedHere + r.AskRetries > 0).Select(r => r.Step)))
            {
                Add($"step {step}: abandoned here", s => s.Steps.FirstOrDefault(r => r.Step == step)?.AbandonedHere);
                Add($"step {step}: ask retries", s => s.Steps.FirstOrDefault(r => r.Step == step)?.AskRetries);
            }
            Add("not understood messages", s => s.NotUnderstood);
            Add("handoffs", s => s.Handoffs.Sum(h => h.Count));
        }
        return rows.ToImmutable();
    }

    static double? Share(int part, int total) => total == 0 ? null : Math.Round((double)part / total, 4);

    static IEnumerable<string> Names(IEnumerable<string>? a, IEnumerable<string>? b) =>
        (a ?? []).Concat(b ?? []).Distinct(StringComparer.Ordinal);
}
