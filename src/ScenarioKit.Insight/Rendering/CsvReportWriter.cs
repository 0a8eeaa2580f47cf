using System.Globalization;
using System.Text;

namespace ScenarioKit.Insight.Rendering;

/// <summary>
/// The report as CSV files for spreadsheets and BI tools, one per table (<c>intents.csv</c>, <c>steps.csv</c>…), every
/// row naming its scenario. RFC 4180 quoting, UTF-8 with a byte-order mark so Excel reads Japanese correctly.
/// </summary>
public static class CsvReportWriter
{
    /// <summary>File name → content.</summary>
    public static IReadOnlyDictionary<string, string> Write(InsightReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["conversations.csv"] = Table(["scenario", "versions", "turns", "kind", "contained", "escalated", "abandoned", "unengaged", "ongoing", "not_understood"],
                report.Scenarios.SelectMany(s => new[]
                {
                    Row(s.ScenarioId, string.Join(' ', s.Versions), s.Turns, "conversations", s.Conversations.Contained, s.Conversations.Escalated, s.Conversations.Abandoned, s.Conversations.Unengaged, s.Conversations.Ongoing, s.NotUnderstood),
                    Row(s.ScenarioId, string.Join(' ', s.Versions), s.Turns, "intent episodes", s.Episodes.Contained, s.Episodes.Escalated, s.Episodes.Abandoned, s.Episodes.Unengaged, s.Episodes.Ongoing, s.NotUnderstood),
                })),
            ["intents.csv"] = Table(["scenario", "intent", "digital_fit", "episodes", "contained", "escalated", "abandoned", "ongoing", "contained_rate", "interval_low", "interval_high", "target", "verdict"],
                report.Scenarios.SelectMany(s => s.Intents.Select(i => Row(s.ScenarioId, i.Intent, i.DigitalFit, i.Volume, i.Contained, i.Escalated, i.Abandoned, i.Ongoing, i.ContainedRate, i.IntervalLow, i.IntervalHigh, report.Settings.Target, i.Verdict)))),
            ["stages.csv"] = Table(["scenario", "stage", "conversations"],
                report.Scenarios.SelectMany(s => s.Stages.Select(r => Row(s.ScenarioId, r.Stage, r.Conversations)))),
            ["transitions.csv"] = Table(["scenario", "from", "to", "count"],
                report.Scenarios.SelectMany(s => s.Transitions.Select(t => Row(s.ScenarioId, t.From, t.To, t.Count)))),
            ["proactive.csv"] = Table(["scenario", "rule", "stage", "shown", "engaged", "contained", "escalated", "abandoned", "unengaged", "ongoing", "last_stages"],
                report.Scenarios.SelectMany(s => s.Proactive.Select(p => Row(s.ScenarioId, p.Rule, p.Stage, p.Shown, p.Engaged, p.Followed.Contained, p.Followed.Escalated, p.Followed.Abandoned, p.Followed.Unengaged, p.Followed.Ongoing, Pairs(p.LastStage))))),
            ["steps.csv"] = Table(["scenario", "step", "flow", "kind", "location", "reached", "abandoned_here", "ask_retries", "on_fail", "on_fail_rate", "action_failures", "retry_samples"],
                report.Scenarios.SelectMany(s => s.Steps.Select(r => Row(s.ScenarioId, r.Step, r.Flow, r.Kind, r.Location, r.Reached, r.AbandonedHere, r.AskRetries, r.OnFail, r.OnFailRate, r.ActionFailures, string.Join(" | ", r.RetrySamples))))),
            ["hotspots.csv"] = Table(["scenario", "text", "step", "count", "nearest_intent", "nearest_score", "samples"],
                report.Scenarios.SelectMany(s => s.HotSpots.Select(h => Row(s.ScenarioId, h.Text, h.Step, h.Count, h.NearestIntent, h.NearestScore, string.Join(" | ", h.Samples))))),
            ["handoffs.csv"] = Table(["scenario", "rule", "location", "queue", "count", "within_hours", "out_of_hours", "unattended", "accepted", "average_wait_seconds", "agent_outcomes"],
                report.Scenarios.SelectMany(s => s.Handoffs.Select(h => Row(s.ScenarioId, h.Rule, h.Location, h.Queue, h.Count, h.WithinHours, h.OutOfHours, h.Unattended, h.Accepted, h.AverageWaitSeconds, Pairs(h.AgentOutcomes))))),
        };
        if (!report.Comparison.IsEmpty)
        {
            files["comparison.csv"] = Table(["scenario", "metric", report.CompareFrom ?? "from", report.CompareTo ?? "to", "delta"],
                report.Comparison.Select(c => Row(c.Scenario, c.Metric, c.From, c.To, c.Delta)));
        }
        return files;
    }

    static string Pairs(IEnumerable<NamedCount> counts) => string.Join("; ", counts.Select(c => $"{c.Name}={c.Count}"));

    static string[] Row(params object?[] cells) => [.. cells.Select(Cell)];

    static string Cell(object? value) => value switch
    {
        null => "",
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    static string Table(string[] header, IEnumerable<string[]> rows)
    {
        var text = new StringBuilder();
        text.Append('\uFEFF');
        Line(text, header);
        foreach (var row in rows) Line(text, row);
        return text.ToString();
    }

    static void Line(StringBuilder text, string[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0) text.Append(',');
            var cell = cells[i];
            // A leading =, +, - or @ would be a formula in a spreadsheet: customer text must stay text.
            if (cell.Length > 0 && "=+-@".Contains(cell[0], StringComparison.Ordinal) && !double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) cell = "'" + cell;
            if (cell.AsSpan().IndexOfAny("\",\r\n") >= 0) text.Append('"').Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            else text.Append(cell);
        }
        text.Append("\r\n");
    }
}
