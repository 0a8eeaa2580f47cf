using System.Collections.Immutable;
using System.Globalization;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;

namespace ScenarioKit.Testing.Diagnostics;

/// <summary>Collects diagnostics instead of throwing, so one run reports every problem of a file.</summary>
internal sealed class DiagnosticBag
{
    readonly List<Diagnostic> _items = [];

    public bool HasErrors => _items.Any(d => d.IsError);

    public void Add(DiagnosticDescriptor descriptor, SourceSpan span, params object?[] args) =>
        _items.Add(new Diagnostic(descriptor, descriptor.DefaultSeverity, span,
            string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat, args), descriptor.Hint));

    /// <summary>A diagnostic that also points at <paramref name="related"/> places (e.g. the first of two duplicates).</summary>
    public void Add(DiagnosticDescriptor descriptor, SourceSpan span, ImmutableArray<SourceSpan> related, params object?[] args) =>
        _items.Add(new Diagnostic(descriptor, descriptor.DefaultSeverity, span,
            string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat, args), descriptor.Hint) { Related = related });

    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    public ImmutableArray<Diagnostic> ToImmutable() =>
        [.. _items.DistinctBy(d => (d.Id, d.Span, d.Message))
            .OrderBy(d => d.Span.File, StringComparer.Ordinal)
            .ThenBy(d => d.Span.Line).ThenBy(d => d.Span.Column)
            .ThenBy(d => d.Id, StringComparer.Ordinal)];
}

internal static class DiagnosticText
{
    /// <summary>The CLI text form: <c>path(line,col): error SK5101: message</c>.</summary>
    public static string Format(Diagnostic d)
    {
        var severity = d.Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };
        return $"{d.Span.File}({d.Span.Line},{d.Span.Column}): {severity} {d.Id}: {d.Message}";
    }
}
