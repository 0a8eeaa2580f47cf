using System.Collections.Immutable;
using System.Globalization;
using ScenarioKit.Model;

namespace ScenarioKit.Language.Diagnostics;

/// <summary>A message argument with an English and a Japanese form (type names, "did you mean" tails).</summary>
internal sealed record Localized(string En, string Ja)
{
    public string Get(string language) => DiagnosticDescriptor.IsJapanese(language) ? Ja : En;
    public override string ToString() => En;

    public static readonly Localized Empty = new("", "");

    /// <summary>"; did you mean 'x'?" or nothing.</summary>
    public static Localized DidYouMean(string? suggestion) => suggestion is null
        ? Empty
        : new($"; did you mean '{suggestion}'?", $"。'{suggestion}' のことですか？");
}

/// <summary>
/// Collects diagnostics; nothing in the compiler throws for bad input (scriban's LogMessageBag pattern).
/// Messages are formatted once, in the language of the compile options.
/// </summary>
internal sealed class DiagnosticBag(string language)
{
    readonly List<Diagnostic> items = [];

    public string Language { get; } = language;
    public int Count => items.Count;
    public IReadOnlyList<Diagnostic> Items => items;
    public bool HasErrors { get; private set; }

    public void Report(DiagnosticDescriptor descriptor, SourceSpan span, params object?[] args) =>
        Add(descriptor, span, [], args);

    public void ReportRelated(DiagnosticDescriptor descriptor, SourceSpan span, SourceSpan related, params object?[] args) =>
        Add(descriptor, span, [related], args);

    void Add(DiagnosticDescriptor descriptor, SourceSpan span, ImmutableArray<SourceSpan> related, object?[] args)
    {
        var formatted = new object?[args.Length];
        for (var i = 0; i < args.Length; i++)
            formatted[i] = args[i] switch
            {
                Localized l => l.Get(Language),
                SourceSpan s => s.ToString(),
                var a => a,
            };
        var message = string.Format(CultureInfo.InvariantCulture, descriptor.GetMessageFormat(Language), formatted);
        if (descriptor.DefaultSeverity == DiagnosticSeverity.Error) HasErrors = true;
        items.Add(new Diagnostic(descriptor, descriptor.DefaultSeverity, span, message, descriptor.GetHint(Language))
        {
            Related = related,
            Arguments = [.. formatted.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture) ?? "")],
        });
    }

    public void AddRange(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            if (d.IsError) HasErrors = true;
            items.Add(d);
        }
    }

    /// <summary>Sorted by file, line, column, id, then message: the order every output format uses.</summary>
    public ImmutableArray<Diagnostic> ToSortedArray() =>
        [.. items.Distinct().OrderBy(d => d.Span.File, StringComparer.Ordinal)
            .ThenBy(d => d.Span.Line).ThenBy(d => d.Span.Column)
            .ThenBy(d => d.Id, StringComparer.Ordinal).ThenBy(d => d.Message, StringComparer.Ordinal)];
}

/// <summary>"Did you mean" suggestions by Damerau-Levenshtein distance.</summary>
internal static class Suggest
{
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        // Allow roughly one edit per three characters, at least one, so 'promt' finds 'prompt' but 'x' finds nothing far away.
        var limit = name.Length <= 2 ? 0 : Math.Max(1, name.Length / 3);
        foreach (var c in candidates)
        {
            if (Math.Abs(c.Length - name.Length) > limit || string.Equals(c, name, StringComparison.Ordinal)) continue;
            var d = Distance(name, c, limit);
            if (d < bestDistance || (d == bestDistance && best is not null && string.CompareOrdinal(c, best) < 0))
            {
                bestDistance = d;
                best = c;
            }
        }
        return bestDistance <= limit ? best : null;
    }

    static int Distance(string a, string b, int limit)
    {
        if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase)) return 0;
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            var rowMin = int.MaxValue;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                var v = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = Math.Min(v, d[i - 2, j - 2] + 1);
                d[i, j] = v;
                rowMin = Math.Min(rowMin, v);
            }
            if (rowMin > limit) return rowMin;
        }
        return d[a.Length, b.Length];
    }
}
