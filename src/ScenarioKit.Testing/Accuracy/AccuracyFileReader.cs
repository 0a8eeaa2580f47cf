using System.Collections.Immutable;
using System.Globalization;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;
using ScenarioKit.Testing.Diagnostics;
using ScenarioKit.Testing.Syntax;

namespace ScenarioKit.Testing.Accuracy;

/// <summary>An utterance and the intent it should be recognised as (<c>none</c>: not understood, the input should fall back).</summary>
internal sealed record LabeledUtterance(string Text, string Intent, SourceSpan Span, SourceSpan IntentSpan);

internal sealed record AccuracyFile(string File, string ScenarioPath, SourceSpan ScenarioSpan, double Threshold, ImmutableArray<LabeledUtterance> Utterances);

/// <summary>
/// Reads <c>*.accuracy.yaml</c>: a list of <c>{ text, intent }</c> (the scenario is the folder above the
/// file's folder, as in <c>scenarios/x/tests/intents.accuracy.yaml</c>), or a mapping
/// <c>{ scenario, minAccuracy, utterances }</c>. <c>intent: none</c> means the text should not be understood.
/// </summary>
internal static class AccuracyFileReader
{
    public const double DefaultThreshold = 0.85;
    public const string NoIntent = "none";

    public static AccuracyFile? Read(string path, DiagnosticBag diagnostics)
    {
        var file = TestFileReader.DisplayPath(path);
        if (!TestFileReader.TryReadText(path, file, diagnostics, out var text)) return null;
        var root = YamlTree.Load(file, text, diagnostics);
        var whole = new SourceSpan(file, 1, 1, 1, 1);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        string? scenario = Path.GetFullPath(Path.Combine(folder, ".."));
        var scenarioSpan = whole;
        var threshold = DefaultThreshold;
        YNode? utterancesNode;
        switch (root)
        {
            case YSequence list:
                utterancesNode = list;
                break;
            case YMapping map:
                TestFileReader.CheckKeys(map, "the accuracy file", ["scenario", "minAccuracy", "utterances", "description"], diagnostics);
                if (map["scenario"] is { } s)
                {
                    scenarioSpan = s.Span;
                    scenario = TestFileReader.RequireString(s, "'scenario'", diagnostics) is { } relative ? TestFileReader.ResolvePath(folder, relative, s.Span, diagnostics) : null;
                }
                if (map["minAccuracy"] is { } t)
                {
                    if (t is YScalar ts && YamlTree.ScalarValue(ts) is long or double
                        && Convert.ToDouble(YamlTree.ScalarValue(ts), CultureInfo.InvariantCulture) is var value && value is >= 0 and <= 1)
                        threshold = value;
                    else diagnostics.Add(TestDiagnostics.InvalidValue, t.Span, "'minAccuracy' is the minimum overall accuracy, a number from 0 to 1 (e.g. 0.85)");
                }
                utterancesNode = map["utterances"];
                if (utterancesNode is null) diagnostics.Add(TestDiagnostics.MissingKey, whole, "the accuracy file", "utterances");
                break;
            default:
                if (root is not null || !diagnostics.HasErrors)
                    diagnostics.Add(TestDiagnostics.InvalidValue, root?.Span ?? whole, "an accuracy file is a list of { text, intent }, or a mapping with 'utterances'");
                return null;
        }

        var utterances = ImmutableArray.CreateBuilder<LabeledUtterance>();
        if (utterancesNode is not null and not YSequence { Items.IsEmpty: false })
            diagnostics.Add(TestDiagnostics.InvalidValue, utterancesNode.Span, "'utterances' is a non-empty list of { text, intent }");
        else if (utterancesNode is YSequence items)
            foreach (var item in items.Items)
            {
                if (item is not YMapping m)
                {
                    diagnostics.Add(TestDiagnostics.InvalidValue, item.Span, "an utterance is a mapping { text, intent }");
                    continue;
                }
                TestFileReader.CheckKeys(m, "an utterance", ["text", "intent"], diagnostics);
                if (m["text"] is null) diagnostics.Add(TestDiagnostics.MissingKey, m.Span, "an utterance", "text");
                if (m["intent"] is null) diagnostics.Add(TestDiagnostics.MissingKey, m.Span, "an utterance", "intent (none when nothing should be recognised)");
                var textValue = m["text"] is { } tn ? TestFileReader.RequireString(tn, "'text'", diagnostics) : null;
                if (textValue is null || m["intent"] is not { } intentNode) continue;
                var intent = intentNode is YScalar { IsNull: true } ? NoIntent : TestFileReader.RequireString(intentNode, "'intent'", diagnostics);
                if (intent is null) continue;
                utterances.Add(new LabeledUtterance(textValue, intent, m.Span, intentNode.Span));
            }
        return scenario is null ? null : new AccuracyFile(file, scenario, scenarioSpan, threshold, utterances.ToImmutable());
    }

    /// <summary>The expected intent as the engine reports it: <c>none</c> is no intent, unless the scenario has an intent of that name.</summary>
    public static string? Resolve(string? intent, ScenarioModel model) =>
        intent == NoIntent && !model.Intents.Any(i => i.Name == NoIntent) ? null : intent;

    /// <summary>Every expected intent must exist; an intent with very few utterances gets a warning.</summary>
    public static void Check(AccuracyFile file, ScenarioModel model, DiagnosticBag diagnostics)
    {
        var intents = model.Intents.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var u in file.Utterances)
            if (Resolve(u.Intent, model) is { } name && !intents.Contains(name))
                diagnostics.Add(TestDiagnostics.UnknownIntent, u.IntentSpan, u.Intent, Binding.TestBinder.Suggest(u.Intent, intents));
        foreach (var g in file.Utterances.Where(u => Resolve(u.Intent, model) is { } name && intents.Contains(name)).GroupBy(u => u.Intent!))
            if (g.Count() < MinimumPerIntent)
                diagnostics.Add(TestDiagnostics.AccuracyTooFew, g.First().IntentSpan, g.Key, g.Count(), MinimumPerIntent);
    }

    internal const int MinimumPerIntent = 3;
}
