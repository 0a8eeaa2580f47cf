using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Xml;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Testing.Accuracy;
using ScenarioKit.Testing.Diagnostics;
using ScenarioKit.Testing.Results;

namespace ScenarioKit.Testing.Reporting;

/// <summary>
/// Writes the JUnit XML that CI servers (Jenkins, GitLab, GitHub Actions reporters, Azure DevOps) read:
/// one <c>testsuite</c> per test file and per accuracy file; a file that could not run is one
/// <c>error</c> testcase carrying its diagnostics. A cross-validation is a testsuite with one testcase per
/// intent: names stay stable while examples change, so a dashboard's history per test follows an
/// intent's held-out F1 from run to run.
/// </summary>
public static class JUnitWriter
{
    public static void WriteFile(TestRunReport report, string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir) Directory.CreateDirectory(dir);
        File.WriteAllText(path, Write(report), new UTF8Encoding(false));
    }

    public static string Write(TestRunReport report)
    {
        var builder = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        using (var xml = XmlWriter.Create(new Utf8StringWriter(builder), settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("testsuites");
            xml.WriteAttributeString("name", "scenariokit");
            var tests = report.Suites.Sum(s => s.HasErrors ? 1 : s.Tests.Length) + report.Accuracy.Length + report.CrossValidation.Sum(c => CrossValidationCases(c).Length);
            xml.WriteAttributeString("tests", Int(tests));
            xml.WriteAttributeString("failures", Int(report.Failed + report.Accuracy.Count(a => !a.HasErrors && !a.Passed) + report.CrossValidation.Sum(c => c.BelowMinimum.Length)));
            xml.WriteAttributeString("errors", Int(report.Errors));
            xml.WriteAttributeString("skipped", Int(report.Skipped));
            xml.WriteAttributeString("time", Seconds(report.Suites.Aggregate(TimeSpan.Zero, (t, s) => t + s.Duration)));
            foreach (var suite in report.Suites) WriteSuite(xml, suite);
            foreach (var accuracy in report.Accuracy) WriteAccuracy(xml, accuracy);
            foreach (var crossValidation in report.CrossValidation) WriteCrossValidation(xml, crossValidation);
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return builder.ToString();
    }

    static void WriteSuite(XmlWriter xml, SuiteResult suite)
    {
        xml.WriteStartElement("testsuite");
        xml.WriteAttributeString("name", Clean(suite.File));
        xml.WriteAttributeString("file", Clean(suite.File));
        if (suite.HasErrors)
        {
            WriteCounts(xml, tests: 1, failures: 0, errors: 1, skipped: 0, TimeSpan.Zero);
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("name", "(test file)");
            xml.WriteAttributeString("classname", Clean(suite.File));
            xml.WriteAttributeString("file", Clean(suite.File));
            xml.WriteAttributeString("time", Seconds(TimeSpan.Zero));
            var errors = suite.Diagnostics.Where(d => d.IsError).ToList();
            xml.WriteStartElement("error");
            xml.WriteAttributeString("message", Clean(DiagnosticText.Format(errors[0])));
            xml.WriteAttributeString("type", errors[0].Id);
            xml.WriteString(Clean(string.Join('\n', suite.Diagnostics.Select(DiagnosticText.Format))));
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
            return;
        }
        WriteCounts(xml, suite.Tests.Length, suite.Tests.Count(t => t.Outcome == TestOutcome.Failed), 0,
            suite.Tests.Count(t => t.Outcome == TestOutcome.Skipped), suite.Duration);
        foreach (var test in suite.Tests)
        {
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("name", Clean(test.Name));
            xml.WriteAttributeString("classname", Clean(suite.File));
            xml.WriteAttributeString("file", Clean(suite.File));
            xml.WriteAttributeString("line", Int(test.Span.Line));
            xml.WriteAttributeString("time", Seconds(test.Duration));
            if (test.Failure is { } f)
            {
                xml.WriteStartElement("failure");
                xml.WriteAttributeString("message", Clean($"{f.Location.File}({f.Location.Line},{f.Location.Column}): {f.Message}"));
                xml.WriteAttributeString("type", "StepFailed");
                xml.WriteString(Clean(f.ToText()));
                xml.WriteEndElement();
            }
            else if (test.Outcome == TestOutcome.Skipped)
            {
                xml.WriteStartElement("skipped");
                xml.WriteAttributeString("message", Clean(test.SkipReason ?? "skipped"));
                xml.WriteEndElement();
            }
            if (!test.RuntimeErrors.IsEmpty)
                xml.WriteElementString("system-err", Clean(string.Join('\n', test.RuntimeErrors)));
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    static void WriteAccuracy(XmlWriter xml, AccuracyResult accuracy)
    {
        xml.WriteStartElement("testsuite");
        xml.WriteAttributeString("name", Clean(accuracy.File));
        xml.WriteAttributeString("file", Clean(accuracy.File));
        var failed = !accuracy.HasErrors && !accuracy.Passed;
        WriteCounts(xml, 1, failed ? 1 : 0, accuracy.HasErrors ? 1 : 0, 0, TimeSpan.Zero);
        xml.WriteStartElement("testcase");
        xml.WriteAttributeString("name", "intent accuracy");
        xml.WriteAttributeString("classname", Clean(accuracy.File));
        xml.WriteAttributeString("file", Clean(accuracy.File));
        xml.WriteAttributeString("time", Seconds(TimeSpan.Zero));
        if (accuracy.HasErrors)
        {
            xml.WriteStartElement("error");
            var first = accuracy.Diagnostics.First(d => d.IsError);
            xml.WriteAttributeString("message", Clean(DiagnosticText.Format(first)));
            xml.WriteAttributeString("type", first.Id);
            xml.WriteString(Clean(string.Join('\n', accuracy.Diagnostics.Select(DiagnosticText.Format))));
            xml.WriteEndElement();
        }
        else if (failed)
        {
            xml.WriteStartElement("failure");
            xml.WriteAttributeString("message", Clean($"{accuracy.File}: accuracy {accuracy.Accuracy:P1} is below the threshold {accuracy.Threshold:P1}"));
            xml.WriteAttributeString("type", "AccuracyBelowThreshold");
            xml.WriteString(Clean(accuracy.ToText()));
            xml.WriteEndElement();
        }
        else
        {
            xml.WriteElementString("system-out", Clean(accuracy.ToText()));
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    /// <summary>The intents a cross-validation reports on: those with held-out examples.</summary>
    static ImmutableArray<IntentMetric> CrossValidationCases(CrossValidationResult c) => [.. c.Metrics.PerIntent.Where(m => m.Intent is not null && m.Support > 0)];

    static void WriteCrossValidation(XmlWriter xml, CrossValidationResult c)
    {
        var name = $"cross-validation ({c.K} folds): {c.ScenarioPath}";
        var cases = CrossValidationCases(c);
        var below = c.BelowMinimum.Select(m => m.Intent).ToHashSet(StringComparer.Ordinal);
        xml.WriteStartElement("testsuite");
        xml.WriteAttributeString("name", Clean(name));
        xml.WriteAttributeString("file", Clean(c.ScenarioPath));
        WriteCounts(xml, cases.Length, below.Count, 0, 0, TimeSpan.Zero);
        foreach (var m in cases)
        {
            var misses = c.Misrecognised.Where(u => u.Expected == m.Intent).ToList();
            var text = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"{m.Intent}: precision {m.Precision:0.00}, recall {m.Recall:0.00}, F1 {m.F1:0.00} ({m.Correct}/{m.Support} held-out examples recognised)\n");
            AccuracyResult.AppendMisses(text, misses);
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("name", Clean(m.Intent!));
            xml.WriteAttributeString("classname", Clean(name));
            xml.WriteAttributeString("file", Clean(c.ScenarioPath));
            xml.WriteAttributeString("time", Seconds(TimeSpan.Zero));
            if (below.Contains(m.Intent))
            {
                xml.WriteStartElement("failure");
                xml.WriteAttributeString("message", Clean(string.Create(CultureInfo.InvariantCulture, $"intent '{m.Intent}': held-out F1 {m.F1:0.00} is below the minimum {c.MinF1:0.00}")));
                xml.WriteAttributeString("type", "F1BelowMinimum");
                xml.WriteString(Clean(text.ToString()));
                xml.WriteEndElement();
            }
            else
            {
                xml.WriteElementString("system-out", Clean(text.ToString()));
            }
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    static void WriteCounts(XmlWriter xml, int tests, int failures, int errors, int skipped, TimeSpan time)
    {
        xml.WriteAttributeString("tests", Int(tests));
        xml.WriteAttributeString("failures", Int(failures));
        xml.WriteAttributeString("errors", Int(errors));
        xml.WriteAttributeString("skipped", Int(skipped));
        xml.WriteAttributeString("time", Seconds(time));
    }

    static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>Drops characters XML 1.0 cannot carry (control characters, lone surrogates) so the file always parses.</summary>
    internal static string Clean(string text)
    {
        StringBuilder? b = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var ok = c is '\t' or '\n' or '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                b?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }
            if (ok)
            {
                b?.Append(c);
                continue;
            }
            b ??= new StringBuilder(text, 0, i, text.Length);
            b.Append('\uFFFD');
        }
        return b?.ToString() ?? text;
    }

    sealed class Utf8StringWriter(StringBuilder builder) : StringWriter(builder, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
