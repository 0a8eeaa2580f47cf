using System.Globalization;
using System.Text;

namespace ScenarioKit.Insight.Rendering;

/// <summary>Inline SVG charts (presentation attributes only, no style attributes, no script).</summary>
internal static class ReportCharts
{
    const string Contained = "#2f9e44";
    const string Escalated = "#f08c00";
    const string Abandoned = "#e03131";
    const int LabelWidth = 220;
    const int BarWidth = 520;
    const int Row = 26;

    /// <summary>One stacked bar per intent (contained, escalated, abandoned), the Wilson interval as a whisker, the target as a dashed line.</summary>
    public static string OutcomeBars(IReadOnlyList<IntentRow> intents, double target, IReadOnlyDictionary<string, string> t)
    {
        var height = intents.Count * Row + 46;
        var svg = Open(LabelWidth + BarWidth + 80, height, t["target.title"].Replace("{0}", HtmlReportWriter.Percent(target), StringComparison.Ordinal));
        for (var i = 0; i < intents.Count; i++)
        {
            var r = intents[i];
            var y = 8 + i * Row;
            Text(svg, 4, y + 15, Clip(r.Intent, 30));
            var x = (double)LabelWidth;
            foreach (var (count, colour) in new[] { (r.Contained, Contained), (r.Escalated, Escalated), (r.Abandoned, Abandoned) })
            {
                var w = r.Volume == 0 ? 0 : BarWidth * (double)count / r.Volume;
                if (w > 0) svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{y + 3}\" width=\"{w:0.#}\" height=\"{Row - 8}\" fill=\"{colour}\"/>");
                x += w;
            }
            if (r.IntervalLow is { } low && r.IntervalHigh is { } high)
            {
                var wy = y + Row / 2 - 1;
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{LabelWidth + BarWidth * low:0.#}\" x2=\"{LabelWidth + BarWidth * high:0.#}\" y1=\"{wy}\" y2=\"{wy}\" stroke=\"#1d2430\" stroke-width=\"2\"/>");
            }
            Text(svg, LabelWidth + BarWidth + 6, y + 15, HtmlReportWriter.Percent(r.ContainedRate));
        }
        var tx = LabelWidth + BarWidth * target;
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{tx:0.#}\" x2=\"{tx:0.#}\" y1=\"2\" y2=\"{height - 34}\" stroke=\"#1d2430\" stroke-dasharray=\"5 4\"/>");
        Text(svg, (int)tx - 14, height - 20, HtmlReportWriter.Percent(target));
        Legend(svg, LabelWidth, height - 6, [(t["contained"], Contained), (t["escalated"], Escalated), (t["abandoned"], Abandoned)]);
        return Close(svg);
    }

    /// <summary>The journey as a funnel: one bar per stage, as wide as its share of all conversations.</summary>
    public static string Funnel(IReadOnlyList<StageRow> stages, int conversations)
    {
        var svg = Open(LabelWidth + BarWidth + 80, stages.Count * Row + 10, "funnel");
        for (var i = 0; i < stages.Count; i++)
        {
            var y = 4 + i * Row;
            var share = (double)stages[i].Conversations / conversations;
            var w = Math.Max(1, BarWidth * share);
            Text(svg, 4, y + 15, Clip(stages[i].Stage, 30));
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth + (BarWidth - w) / 2:0.#}\" y=\"{y + 2}\" width=\"{w:0.#}\" height=\"{Row - 6}\" fill=\"#4c6ef5\"/>");
            Text(svg, LabelWidth + BarWidth + 6, y + 15, $"{stages[i].Conversations:N0}");
        }
        return Close(svg);
    }

    /// <summary>The biggest not-understood groups as bars, so the table below reads at a glance.</summary>
    public static string HotSpots(IReadOnlyList<HotSpotRow> rows, IReadOnlyDictionary<string, string> t)
    {
        var shown = rows.Take(10).ToList();
        var max = Math.Max(1, shown.Max(r => r.Count));
        var svg = Open(LabelWidth + BarWidth + 80, shown.Count * Row + 10, t["hotspots.title"]);
        for (var i = 0; i < shown.Count; i++)
        {
            var y = 4 + i * Row;
            Text(svg, 4, y + 15, Clip(shown[i].Text, 18));
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y + 3}\" width=\"{Math.Max(1, BarWidth * (double)shown[i].Count / max):0.#}\" height=\"{Row - 8}\" fill=\"#7048e8\"/>");
            Text(svg, LabelWidth + BarWidth + 6, y + 15, $"{shown[i].Count:N0}");
        }
        return Close(svg);
    }

    static StringBuilder Open(int width, int height, string label) =>
        new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{HtmlBuilder.Encoder.Encode(label)}\">");

    static string Close(StringBuilder svg) => svg.Append("</svg>").ToString();

    static void Text(StringBuilder svg, int x, int y, string text) =>
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{y}\">{HtmlBuilder.Encoder.Encode(text)}</text>");

    static void Legend(StringBuilder svg, int x, int y, (string Label, string Colour)[] items)
    {
        foreach (var (label, colour) in items)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y - 10}\" width=\"10\" height=\"10\" fill=\"{colour}\"/>");
            Text(svg, x + 14, y, label);
            x += 24 + label.Length * 12;
        }
    }

    static string Clip(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}
