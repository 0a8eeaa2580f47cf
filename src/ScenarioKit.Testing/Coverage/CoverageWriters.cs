using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ScenarioKit.Testing.Coverage;

/// <summary>Writes a coverage report as JSON (for tools) and as one self-contained HTML page (for people).</summary>
public static class CoverageWriters
{
    public const string JsonFileName = "coverage.json";
    public const string HtmlFileName = "coverage.html";

    static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <c>coverage.json</c> and <c>coverage.html</c> into <paramref name="directory"/> (created if missing).</summary>
    public static void WriteDirectory(CoverageReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, JsonFileName), ToJson(report), new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(directory, HtmlFileName), ToHtml(report), new UTF8Encoding(false));
    }

    public static string ToJson(CoverageReport report)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonOptions))
        {
            w.WriteStartObject();
            w.WriteStartArray("scenarios");
            foreach (var s in report.Scenarios)
            {
                w.WriteStartObject();
                w.WriteString("id", s.ScenarioId);
                w.WriteString("path", s.ScenarioPath);
                foreach (var c in s.Categories)
                {
                    w.WriteStartObject(JsonName(c.Kind));
                    w.WriteNumber("total", c.Total);
                    w.WriteNumber("reached", c.Reached);
                    w.WriteNumber("percent", Math.Round(c.Percent, 2));
                    w.WriteStartArray("items");
                    foreach (var i in c.Items)
                    {
                        w.WriteStartObject();
                        w.WriteString("name", i.Name);
                        w.WriteNumber("hits", i.Hits);
                        if (i.Span.Line > 0)
                        {
                            w.WriteString("file", i.Span.File);
                            w.WriteNumber("line", i.Span.Line);
                        }
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string JsonName(CoverageKind kind) => kind switch
    {
        CoverageKind.Stages => "stages",
        CoverageKind.Flows => "flows",
        CoverageKind.Steps => "steps",
        CoverageKind.Intents => "intents",
        CoverageKind.ProactiveRules => "proactiveRules",
        CoverageKind.HandoffRules => "handoffRules",
        CoverageKind.HubPaths => "hubPaths",
        _ => "tickets",
    };

    public static string Title(CoverageKind kind) => kind switch
    {
        CoverageKind.ProactiveRules => "Proactive rules",
        CoverageKind.HandoffRules => "Handoff rules",
        CoverageKind.HubPaths => "Hub paths",
        _ => kind.ToString(),
    };

    /// <summary>One HTML page with inline CSS and no scripts or external resources, so CI can archive it as is.</summary>
    public static string ToHtml(CoverageReport report)
    {
        static string H(string s) => WebUtility.HtmlEncode(s);
        var b = new StringBuilder();
        b.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>ScenarioKit test coverage</title>
            <style>
            body{font-family:system-ui,"Hiragino Sans","Noto Sans JP",sans-serif;margin:2rem;color:#222}
            table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}
            th{background:#f4f4f4}.bar{display:inline-block;width:8rem;height:.7rem;background:#eee;vertical-align:middle}
            .bar span{display:block;height:100%;background:#3a7}.miss{background:#fde8e8}.hit{background:#eaf7ee}
            details{margin:.3rem 0}summary{cursor:pointer;font-weight:600}code{font-size:.9em}
            </style></head><body>
            <h1>ScenarioKit test coverage</h1>

            """);
        foreach (var s in report.Scenarios)
        {
            b.Append(CultureInfo.InvariantCulture, $"<h2>{H(s.ScenarioId)} <small><code>{H(s.ScenarioPath)}</code></small></h2>\n");
            b.Append("<table><tr><th>Element</th><th>Reached</th><th>Total</th><th>%</th><th></th></tr>\n");
            foreach (var c in s.Categories)
                b.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{H(Title(c.Kind))}</td><td>{c.Reached}</td><td>{c.Total}</td><td>{c.Percent:0.0}</td><td><span class=\"bar\"><span style=\"width:{c.Percent:0}%\"></span></span></td></tr>\n");
            b.Append("</table>\n");
            foreach (var c in s.Categories.Where(c => c.Total > 0))
            {
                b.Append(CultureInfo.InvariantCulture, $"<details{(c.Reached < c.Total ? " open" : "")}><summary>{H(Title(c.Kind))}: {c.Reached}/{c.Total}</summary>\n");
                b.Append("<table><tr><th>Name</th><th>Hits</th><th>Source</th></tr>\n");
                foreach (var i in c.Items)
                    b.Append(CultureInfo.InvariantCulture,
                        $"<tr class=\"{(i.Reached ? "hit" : "miss")}\"><td><code>{H(i.Name)}</code></td><td>{i.Hits}</td><td>{(i.Span.Line > 0 ? H($"{i.Span.File}:{i.Span.Line}") : "")}</td></tr>\n");
                b.Append("</table></details>\n");
            }
        }
        b.Append("</body></html>\n");
        return b.ToString();
    }
}
