using System.Text.RegularExpressions;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;

namespace ScenarioKit.Language.Binding;

/// <summary>
/// Checks on personal data (<c>pii: true</c> variables). Sharing them with agents (<c>handoff.share</c>) or passing them
/// to an action in a request body is the point of collecting them and is not reported; a URL is, because URLs land in
/// access logs, proxies and browser histories outside the scenario's control.
/// </summary>
internal static class PrivacyChecker
{
    public static void Check(ScenarioModel model, DiagnosticBag d)
    {
        var personal = model.Variables.Where(v => v.Pii).Select(v => v.Name).ToList();
        if (personal.Count == 0)
            return;
        var httpActions = model.Actions.Where(a => a.Http is not null).ToDictionary(a => a.Name, a => a.Http!, StringComparer.Ordinal);
        foreach (var call in model.AllSteps().OfType<CallStep>())
        {
            if (!httpActions.TryGetValue(call.Action, out var http))
                continue;
            foreach (var argument in call.With)
            {
                // unit test: Golden/variables/pii-in-url.yaml
                if (personal.FirstOrDefault(v => Mentions(argument.Value, v)) is { } variable && Mentions(http.Url, argument.Name))
                    d.Report(DiagnosticCatalog.PiiInUrl, argument.Value.Span, variable, call.Action, argument.Name);
            }
        }
    }

    /// <summary>Whether an expression in the template reads <paramref name="name"/> (a dotted path; <c>contact.phone</c> is not in <c>contact.phoneType</c>).</summary>
    static bool Mentions(Template template, string name)
    {
        var pattern = @"(?<![\w$.])" + Regex.Escape(name) + @"(?![\w$])";
        return template.Parts.Any(p => p.Expression is { } e && Regex.IsMatch(e.Source, pattern, RegexOptions.CultureInvariant));
    }
}
