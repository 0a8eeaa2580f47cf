using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Testing.Accuracy;
using ScenarioKit.Testing.Diagnostics;
using ScenarioKit.Testing.Results;

namespace ScenarioKit.Testing.Reporting;

/// <summary>
/// The run as one JSON document (<c>scenariokit test --json file</c>, docs/testing.md "JSON"): the verdict and
/// counts, each test's outcome, and for accuracy files and cross-validations the metrics per intent, the
/// averages, the confusion table and every miss with the nearest intent. Rates are numbers from 0 to 1.
/// </summary>
public static class JsonReportWriter
{
    static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteFile(TestRunReport report, string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir) Directory.CreateDirectory(dir);
        File.WriteAllText(path, Write(report), new UTF8Encoding(false));
    }

    public static string Write(TestRunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteBoolean("success", report.Success);
            w.WriteNumber("passed", report.Passed);
            w.WriteNumber("failed", report.Failed);
            w.WriteNumber("skipped", report.Skipped);
            w.WriteNumber("errors", report.Errors);
            w.WriteStartArray("suites");
            foreach (var suite in report.Suites) WriteSuite(w, suite);
            w.WriteEndArray();
            w.WriteStartArray("accuracy");
            foreach (var a in report.Accuracy)
            {
                w.WriteStartObject();
                w.WriteString("file", a.File);
                w.WriteString("scenario", a.ScenarioPath);
                w.WriteNumber("accuracy", a.Accuracy);
                w.WriteNumber("minAccuracy", a.Threshold);
                w.WriteBoolean("passed", a.Passed);
                WriteDiagnostics(w, a.Diagnostics);
                WriteClassification(w, a.Utterances, a.Metrics);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("crossValidation");
            foreach (var c in report.CrossValidation)
            {
                w.WriteStartObject();
                w.WriteString("scenario", c.ScenarioPath);
                w.WriteString("id", c.ScenarioId);
                w.WriteNumber("folds", c.K);
                w.WriteNumber("accuracy", c.Accuracy);
                if (c.MinF1 is { } min) w.WriteNumber("minF1", min);
                else w.WriteNull("minF1");
                w.WriteBoolean("passed", c.Passed);
                w.WriteStartArray("foldResults");
                foreach (var f in c.Folds)
                {
                    w.WriteStartObject();
                    w.WriteNumber("fold", f.Index + 1);
                    w.WriteNumber("trained", f.Trained);
                    w.WriteNumber("heldOut", f.HeldOut);
                    w.WriteNumber("correct", f.Correct);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                WriteDiagnostics(w, c.Diagnostics);
                WriteClassification(w, c.Utterances, c.Metrics);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    static void WriteSuite(Utf8JsonWriter w, SuiteResult suite)
    {
        w.WriteStartObject();
        w.WriteString("file", suite.File);
        w.WriteString("scenario", suite.ScenarioPath);
        WriteDiagnostics(w, suite.Diagnostics);
        w.WriteStartArray("tests");
        foreach (var t in suite.Tests)
        {
            w.WriteStartObject();
            w.WriteString("name", t.Name);
            w.WriteNumber("line", t.Span.Line);
            w.WriteString("outcome", t.Outcome.ToString().ToLowerInvariant());
            w.WriteNumber("durationMs", Math.Round(t.Duration.TotalMilliseconds, 1));
            if (t.Failure is { } f) w.WriteString("failure", f.ToText());
            if (t.SkipReason is { } reason) w.WriteString("skipReason", reason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    static void WriteDiagnostics(Utf8JsonWriter w, IEnumerable<Diagnostic> diagnostics)
    {
        w.WriteStartArray("diagnostics");
        foreach (var d in diagnostics) w.WriteStringValue(DiagnosticText.Format(d));
        w.WriteEndArray();
    }

    /// <summary>Per-intent metrics (<c>intent</c> null is "(none)"), macro and micro averages, the confusion table and the misses.</summary>
    static void WriteClassification(Utf8JsonWriter w, IEnumerable<UtteranceResult> utterances, ClassificationMetrics metrics)
    {
        w.WriteStartArray("intents");
        foreach (var m in metrics.PerIntent)
        {
            w.WriteStartObject();
            WriteIntent(w, "intent", m.Intent);
            w.WriteNumber("expected", m.Support);
            w.WriteNumber("recognised", m.Recognised);
            w.WriteNumber("correct", m.Correct);
            w.WriteNumber("precision", m.Precision);
            w.WriteNumber("recall", m.Recall);
            w.WriteNumber("f1", m.F1);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteAverage(w, "macro", metrics.Macro);
        WriteAverage(w, "micro", metrics.Micro);
        w.WriteStartObject("confusion");
        w.WriteStartArray("labels");
        foreach (var l in metrics.Labels) w.WriteStringValue(l);
        w.WriteEndArray();
        w.WriteStartArray("counts");
        foreach (var row in metrics.Labels)
        {
            w.WriteStartArray();
            foreach (var column in metrics.Labels) w.WriteNumberValue(metrics.Count(row, column));
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartArray("misrecognised");
        foreach (var u in utterances.Where(u => !u.Correct))
        {
            w.WriteStartObject();
            w.WriteString("text", u.Text);
            w.WriteString("file", u.Span.File);
            w.WriteNumber("line", u.Span.Line);
            w.WriteNumber("column", u.Span.Column);
            WriteIntent(w, "expected", u.Expected);
            WriteIntent(w, "actual", u.Actual);
            w.WriteNumber("confidence", u.Confidence);
            if (u.Nearest is { } n)
            {
                w.WriteStartObject("nearest");
                w.WriteString("intent", n.Intent);
                w.WriteNumber("score", n.Score);
                w.WriteString("via", n.Via);
                w.WriteString("evidence", n.Evidence);
                w.WriteEndObject();
            }
            if (u.OutOfScope is { } scope)
            {
                w.WriteStartObject("outOfScope");
                w.WriteNumber("unknownShare", Math.Round(scope.UnknownShare, 3));
                w.WriteNumber("limit", scope.Limit);
                w.WriteStartArray("unknownWords");
                foreach (var word in scope.UnknownWords) w.WriteStringValue(word);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    static void WriteIntent(Utf8JsonWriter w, string name, string? intent)
    {
        if (intent is null) w.WriteNull(name);
        else w.WriteString(name, intent);
    }

    static void WriteAverage(Utf8JsonWriter w, string name, MetricAverage average)
    {
        w.WriteStartObject(name);
        w.WriteNumber("precision", average.Precision);
        w.WriteNumber("recall", average.Recall);
        w.WriteNumber("f1", average.F1);
        w.WriteEndObject();
    }
}
