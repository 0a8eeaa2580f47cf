using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Text;

namespace ScenarioKit.Insight.Rendering;

/// <summary>
/// The report as one self-contained HTML page: inline style and inline SVG charts, no script, nothing fetched, so it
/// opens offline and from an e-mail attachment. Words follow the scenario's locale (Japanese or English). Every value
/// is HTML-encoded; the page uses no <c>style</c> attributes, so a Content-Security-Policy can allow just the hash of
/// <see cref="StyleSheet"/>.
/// </summary>
public static class HtmlReportWriter
{
    /// <summary>The page's only style (the server's CSP allows exactly this text by its hash).</summary>
    public const string StyleSheet = """
        body{font-family:system-ui,-apple-system,"Segoe UI","Hiragino Sans","Yu Gothic UI",Meiryo,"Noto Sans CJK JP","Noto Sans JP",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2430;line-height:1.5}
        h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:2px solid #dfe3ea;padding-bottom:.2rem}
        .meta,.explain{color:#4a5566;font-size:.92rem}.warn{background:#fff1e6;border-left:4px solid #d9480f;padding:.4rem .8rem}
        .cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}.card{border:1px solid #dfe3ea;border-radius:8px;padding:.6rem 1rem;min-width:9rem}
        .card b{display:block;font-size:1.5rem}.c-contained{color:#2b8a3e}.c-escalated{color:#e67700}.c-abandoned{color:#c92a2a}.c-unengaged{color:#868e96}
        table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.92rem}th,td{border-bottom:1px solid #e9ecef;padding:.3rem .5rem;text-align:left;vertical-align:top}
        th{background:#f4f6f9}td.n{text-align:right;font-variant-numeric:tabular-nums}tr.below td{background:#fff5f5}
        code{font-size:.85rem;color:#364fc7}svg{max-width:100%;height:auto}svg text{font-size:12px;fill:#1d2430}.small{font-size:.82rem;color:#4a5566}
        """;

    public static string Write(InsightReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var locale = report.Scenarios.FirstOrDefault(s => s.Locale.Length > 0)?.Locale ?? "en";
        var t = ReportText.For(locale);
        var html = new HtmlBuilder();
        html.Raw($"<!DOCTYPE html>\n<html lang=\"{(locale.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? "ja" : "en")}\"><head><meta charset=\"utf-8\">");
        html.Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Raw("<title>").Text("ScenarioKit · " + t["title"]).Raw("</title><style>").Raw(StyleSheet).Raw("</style></head><body>");
        html.Raw("<h1>").Text(t["title"]).Raw("</h1>");
        html.Raw("<p class=\"meta\">").Text($"{t["generated"]}: {report.GeneratedUtc:yyyy-MM-dd HH:mm} UTC · {t["period"]}: {Period(report.Filter, t)}").Raw("<br>")
            .Text(Format(t["settings"], report.Settings.SessionTimeoutMinutes, Percent(report.Settings.Target), report.Settings.MinimumSample)).Raw("</p>");
        html.Raw(report.Settings.Masked ? "<p class=\"meta\">" : "<p class=\"warn\">").Text(report.Settings.Masked ? t["masked"] : t["unmasked"]).Raw("</p>");
        if (report.Scenarios.IsEmpty) html.Raw("<p>").Text(t["none"]).Raw("</p>");
        foreach (var scenario in report.Scenarios) Scenario(html, scenario, report.Settings, t);
        if (!report.Comparison.IsEmpty) Comparison(html, report, t);
        html.Raw("</body></html>\n");
        return html.ToString();
    }

    static void Scenario(HtmlBuilder html, ScenarioReport s, ReportSettings settings, IReadOnlyDictionary<string, string> t)
    {
        html.Raw("<section><h2>").Text($"{s.ScenarioId}").Raw("</h2><p class=\"meta\">").Text($"{t["versions"]}: {string.Join(", ", s.Versions)} · {s.Turns:N0} {t["turns"]}").Raw("</p>");
        if (!s.MissingVersions.IsEmpty) html.Raw("<p class=\"warn\">").Text(Format(t["missing"], string.Join(", ", s.MissingVersions))).Raw("</p>");
        var c = s.Conversations;
        html.Raw("<div class=\"cards\">");
        Card(html, t["conversations"], c.Total.ToString("N0", CultureInfo.InvariantCulture), "");
        Card(html, t["contained"], Share(c.Contained, c.Total), "c-contained");
        Card(html, t["escalated"], Share(c.Escalated, c.Total), "c-escalated");
        Card(html, t["abandoned"], Share(c.Abandoned, c.Total), "c-abandoned");
        Card(html, t["unengaged"], Share(c.Unengaged, c.Total), "c-unengaged");
        if (c.Ongoing > 0) Card(html, t["ongoing"], c.Ongoing.ToString(CultureInfo.InvariantCulture), "");
        html.Raw("</div>");

        html.Raw("<h3>").Text(Format(t["target.title"], Percent(settings.Target))).Raw("</h3><p class=\"explain\">")
            .Text(Format(t["target.explain"], Percent(settings.Target), settings.MinimumSample)).Raw("</p>");
        var measured = s.Intents.Where(i => i.Volume > 0).ToList();
        if (measured.Count > 0) html.Raw(ReportCharts.OutcomeBars(measured, settings.Target, t));
        Table(html, [t["intent"], t["fit"], t["episodes"], t["contained"], t["escalated"], t["abandoned"], t["rate"], t["range"], t["verdict"]],
            s.Intents.Select(i => (i.Verdict == Verdict.Below ? "below" : "", new Cell[]
            {
                i.Intent, i.DigitalFit, N(i.Volume), N(i.Contained), N(i.Escalated), N(i.Abandoned), N(Percent(i.ContainedRate)),
                N(i.IntervalLow is null ? "" : $"{Percent(i.IntervalLow)}–{Percent(i.IntervalHigh)}"), t["verdict." + i.Verdict.ToString().ToLowerInvariant()],
            })), t);

        html.Raw("<h3>").Text(t["funnel.title"]).Raw("</h3><p class=\"explain\">").Text(t["funnel.explain"]).Raw("</p>");
        if (s.Stages.Any(r => r.Conversations > 0)) html.Raw(ReportCharts.Funnel(s.Stages, Math.Max(1, c.Total + c.Ongoing)));
        Table(html, [t["from"], t["to"], t["count"]], s.Transitions.Select(r => ("", new Cell[] { r.From, r.To, N(r.Count) })), t);
        if (!s.Proactive.IsEmpty)
        {
            html.Raw("<h3>").Text(t["proactive.title"]).Raw("</h3>");
            Table(html, [t["rule"], t["stage"], t["shown"], t["engaged"], t["contained"], t["escalated"], t["abandoned"], t["laststage"]],
                s.Proactive.Select(p => ("", new Cell[]
                {
                    p.Rule, p.Stage ?? "", N(p.Shown), N(p.Engaged), N(p.Followed.Contained), N(p.Followed.Escalated), N(p.Followed.Abandoned),
                    string.Join(", ", p.LastStage.Select(x => $"{x.Name} {x.Count}")),
                })), t);
        }

        html.Raw("<h3>").Text(t["steps.title"]).Raw("</h3><p class=\"explain\">").Text(t["steps.explain"]).Raw("</p>");
        Table(html, [t["step"], t["location"], t["reached"], t["abandonedhere"], t["retries"], t["onfail"], t["actionfailures"], t["samples"]],
            s.Steps.Where(r => r.Reached + r.AbandonedHere + r.AskRetries + r.ActionFailures > 0)
                .OrderByDescending(r => r.AbandonedHere + r.OnFail + r.ActionFailures).ThenByDescending(r => r.AskRetries).ThenByDescending(r => r.Reached)
                .Select(r => ("", new Cell[]
                {
                    $"{r.Step} ({r.Kind})", new Cell(r.Location, Link: r.Location), N(r.Reached), N(r.AbandonedHere), N(r.AskRetries),
                    N(r.OnFailRate is null ? r.OnFail.ToString(CultureInfo.InvariantCulture) : $"{r.OnFail} ({Percent(r.OnFailRate)})"), N(r.ActionFailures), string.Join(" / ", r.RetrySamples),
                })), t);

        html.Raw("<h3>").Text(t["hotspots.title"]).Raw("</h3><p class=\"explain\">").Text(Format(t["hotspots.explain"], s.NotUnderstood)).Raw("</p>");
        if (!s.HotSpots.IsEmpty) html.Raw(ReportCharts.HotSpots(s.HotSpots, t));
        Table(html, [t["message"], t["step"], t["count"], t["nearest"], t["score"], t["samples"]],
            s.HotSpots.Select(h => ("", new Cell[]
            {
                h.Text, h.Step.Length == 0 ? t["nostep"] : h.Step, N(h.Count), h.NearestIntent ?? "", N(h.NearestScore?.ToString("0.00", CultureInfo.InvariantCulture) ?? ""), string.Join(" / ", h.Samples),
            })), t);

        html.Raw("<h3>").Text(t["handoffs.title"]).Raw("</h3>");
        Table(html, [t["rule"], t["location"], t["queue"], t["count"], t["withinhours"], t["outofhours"], t["unattended"], t["wait"], t["agentoutcome"]],
            s.Handoffs.Select(h => ("", new Cell[]
            {
                h.Rule, new Cell(h.Location, Link: h.Location), h.Queue, N(h.Count), N(h.WithinHours), N(h.OutOfHours), N(h.Unattended),
                N(h.AverageWaitSeconds is { } w ? TimeSpan.FromSeconds(Math.Round(w)).ToString(w >= 3600 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture) : ""),
                string.Join(", ", h.AgentOutcomes.Select(o => $"{o.Name} {o.Count}")),
            })), t);
        html.Raw("</section>");
    }

    static void Comparison(HtmlBuilder html, InsightReport report, IReadOnlyDictionary<string, string> t)
    {
        html.Raw("<section><h2>").Text(Format(t["compare.title"], report.CompareTo ?? "", report.CompareFrom ?? "")).Raw("</h2>");
        Table(html, ["", t["metric"], report.CompareFrom ?? "", report.CompareTo ?? "", t["delta"]],
            report.Comparison.Select(r =>
            {
                var rate = r.Metric.EndsWith('%');
                string Show(double? v) => v is null ? "" : rate ? Percent(v) : v.Value.ToString("0.##", CultureInfo.InvariantCulture);
                var delta = r.Delta is { } d ? (d > 0 ? "+" : "") + (rate ? $"{d * 100:0.#} pt" : d.ToString("0.##", CultureInfo.InvariantCulture)) : "";
                return ("", new Cell[] { r.Scenario, r.Metric, N(Show(r.From)), N(Show(r.To)), N(delta) });
            }), t);
        html.Raw("</section>");
    }

    internal readonly record struct Cell(string Text, bool Numeric = false, string? Link = null)
    {
        public static implicit operator Cell(string text) => new(text);
    }

    static Cell N(int value) => new(value.ToString("N0", CultureInfo.InvariantCulture), Numeric: true);

    static Cell N(string value) => new(value, Numeric: true);

    static void Card(HtmlBuilder html, string label, string value, string css) =>
        html.Raw($"<div class=\"card\"><b class=\"{css}\">").Text(value).Raw("</b>").Text(label).Raw("</div>");

    static void Table(HtmlBuilder html, string[] header, IEnumerable<(string Css, Cell[] Cells)> rows, IReadOnlyDictionary<string, string> t)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            html.Raw("<p class=\"small\">").Text(t["none"]).Raw("</p>");
            return;
        }
        html.Raw("<table><thead><tr>");
        foreach (var h in header) html.Raw("<th>").Text(h).Raw("</th>");
        html.Raw("</tr></thead><tbody>");
        foreach (var (css, cells) in list)
        {
            html.Raw(css.Length > 0 ? $"<tr class=\"{css}\">" : "<tr>");
            foreach (var cell in cells)
            {
                html.Raw(cell.Numeric ? "<td class=\"n\">" : "<td>");
                // The YAML location as file:line, the form editors and terminals turn into a jump to the line.
                if (cell.Link is { Length: > 0 } link) html.Raw("<code>").Text(link).Raw("</code>");
                else html.Text(cell.Text);
                html.Raw("</td>");
            }
            html.Raw("</tr>");
        }
        html.Raw("</tbody></table>");
    }

    static string Period(ReportFilter filter, IReadOnlyDictionary<string, string> t) =>
        filter.FromUtc is null && filter.ToUtc is null ? t["all"]
            : $"{filter.FromUtc?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "…"} – {filter.ToUtc?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "…"}";

    static string Share(int part, int total) => total == 0 ? "–" : Percent((double)part / total);

    internal static string Percent(double? share) => share is { } v ? (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "";

    static string Format(string template, params object[] values) => string.Format(CultureInfo.InvariantCulture, template, values);
}

/// <summary>Appends markup and encoded text.</summary>
internal sealed class HtmlBuilder
{
    // Japanese stays readable in the page source; markup characters and quotes are still encoded.
    internal static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    readonly StringBuilder _text = new(64 * 1024);

    public HtmlBuilder Raw(string markup)
    {
        _text.Append(markup);
        return this;
    }

    public HtmlBuilder Text(string text)
    {
        _text.Append(Encoder.Encode(text));
        return this;
    }

    public override string ToString() => _text.ToString();
}
