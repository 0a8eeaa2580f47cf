using System.Collections.Immutable;
using System.Globalization;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;
using ScenarioKit.Testing.Diagnostics;
using ScenarioKit.Testing.Syntax;

namespace ScenarioKit.Testing.Accuracy;

/// <summary>An utterance and the intent it should be recognised as (null: none, the input should fall back).</summary>
internal sealed record LabeledUtterance(string Text, string? Intent, SourceSpan Span, SourceSpan IntentSpan);

internal sealed record AccuracyFile(string File, string ScenarioPath, SourceSpan ScenarioSpan, double Threshold, ImmutableArray<LabeledUtterance> Utterances);

/// <summary>Reads <c>*.accuracy.yaml</c>: <c>{ scenario, threshold?, utterances: [{ text, intent }] }</c>.</summary>
internal static class AccuracyFileReader
{
    public const double DefaultThreshold = 0.85;

    public static AccuracyFile? Read(string path, DiagnosticBag diagnostics)
    {
        var file = TestFileReader.DisplayPath(path);
        if (!TestFileReader.TryReadText(path, file, diagnostics, out var text)) return null;
        var root = YamlTree.Load(file, text, diagnostics);
        var whole = new SourceSpan(file, 1, 1, 1, 1);
        if (root is not YMapping map)
        {
            if (root is not null || !diagnostics.HasErrors)
                diagnostics.Add(TestDiagnostics.InvalidValue, root?.Span ?? whole, "an accuracy file is a mapping with 'scenario' and 'utterances'");
            return null;
        }
        TestFileReader.CheckKeys(map, "the accuracy file", ["scenario", "threshold", "utterances", "description"], diagnostics);

        string? scenario = null;
        if (map["scenario"] is { } s)
        {
            if (TestFileReader.RequireString(s, "'scenario'", diagnostics) is { } relative)
                scenario = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", relative));
        }
        else diagnostics.Add(TestDiagnostics.MissingKey, whole, "the accuracy file", "scenario");

        var threshold = DefaultThreshold;
        if (map["threshold"] is { } t)
        {
            if (t is YScalar ts && YamlTree.ScalarValue(ts) is long or double
                && Convert.ToDouble(YamlTree.ScalarValue(ts), CultureInfo.InvariantCulture) is var value && value is > 0 and <= 1)
                threshold = value;
            else diagnostics.Add(TestDiagnostics.InvalidValue, t.Span, "'threshold' is the minimum accuracy, a number above 0 and at most 1 (e.g. 0.85)");
        }

        var utterances = ImmutableArray.CreateBuilder<LabeledUtterance>();
        if (map["utterances"] is not { } u)
            diagnostics.Add(TestDiagnostics.MissingKey, whole, "the accuracy file", "utterances");
        else if (u is not YSequence list || list.Items.IsEmpty)
            diagnostics.Add(TestDiagnostics.InvalidValue, u.Span, "'utterances' is a non-empty list of { text, intent }");
        else
            foreach (var item in list.Items)
            {
                if (item is not YMapping m)
                {
                    diagnostics.Add(TestDiagnostics.InvalidValue, item.Span, "an utterance is a mapping { text, intent }");
                    continue;
                }
                TestFileReader.CheckKeys(m, "an utterance", ["text", "intent"], diagnostics);
                if (m["text"] is null) diagnostics.Add(TestDiagnostics.MissingKey, m.Span, "an utterance", "text");
                if (m["intent"] is null) diagnostics.Add(TestDiagnostics.MissingKey, m.Span, "an utterance", "intent (null when nothing should be recognised)");
                var textValue = m["text"] is { } tn ? TestFileReader.RequireString(tn, "'text'", diagnostics) : null;
                if (textValue is null || m["intent"] is not { } intentNode) continue;
                string? intent = intentNode is YScalar { IsNull: true } ? null : TestFileReader.RequireString(intentNode, "'intent'", diagnostics);
                utterances.Add(new LabeledUtterance(textValue, intent, m.Span, intentNode.Span));
            }
        return scenario is null ? null : new AccuracyFile(file, scenario, map["scenario"]!.Span, threshold, utterances.ToImmutable());
    }

    /// <summary>Every expected intent must exist; an intent with very few utterances gets a warning.</summary>
    public static void Check(AccuracyFile file, ScenarioModel model, DiagnosticBag diagnostics)
    {
        var intents = model.Intents.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var u in file.Utterances)
            if (u.Intent is not null && !intents.Contains(u.Intent))
                diagnostics.Add(TestDiagnostics.UnknownIntent, u.IntentSpan, u.Intent, Binding.TestBinder.Suggest(u.Intent, intents));
        foreach (var g in file.Utterances.Where(u => u.Intent is not null && intents.Contains(u.Intent)).GroupBy(u => u.Intent!))
            if (g.Count() < MinimumPerIntent)
                diagnostics.Add(TestDiagnostics.AccuracyTooFew, g.First().IntentSpan, g.Key, g.Count(), MinimumPerIntent);
    }

    internal const int MinimumPerIntent = 3;
}
