using System.Collections.Immutable;
using System.Globalization;
using ScenarioKit.Model;

namespace ScenarioKit.Language.Diagnostics;

public enum DiagnosticSeverity { Error, Warning, Info }

/// <summary>
/// One entry of the diagnostic catalog (<see cref="DiagnosticCatalog"/>). Ids never change meaning and are never reused.
/// Ranges: SK1xxx YAML, SK2xxx schema, SK3xxx references and flow analysis, SK4xxx expressions, SK5xxx tests.
/// Message formats are composite formats (<c>{0}</c>…) in English and Japanese; the hint says how to fix it.
/// </summary>
public sealed record DiagnosticDescriptor(
    string Id,
    string Title,
    string MessageFormat,
    string MessageFormatJa,
    DiagnosticSeverity DefaultSeverity,
    string Hint,
    string HintJa)
{
    public string HelpUri => $"docs/diagnostics/{Id}.md";

    public string GetMessageFormat(string language) => IsJapanese(language) ? MessageFormatJa : MessageFormat;

    public string GetHint(string language) => IsJapanese(language) ? HintJa : Hint;

    internal static bool IsJapanese(string language) => language.StartsWith("ja", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A compiler finding with its place in the source. <see cref="Span"/> ends after the last character
/// covered (exclusive end, as SARIF regions). <see cref="Related"/> holds further places, e.g. the first
/// definition of a duplicate.
/// </summary>
public sealed record Diagnostic(DiagnosticDescriptor Descriptor, DiagnosticSeverity Severity, SourceSpan Span, string Message, string? Hint)
{
    public string Id => Descriptor.Id;
    public bool IsError => Severity == DiagnosticSeverity.Error;
    public ImmutableArray<SourceSpan> Related { get; init; } = [];

    /// <summary>The message's arguments as formatted into it (invariant culture), for tools that map an id onto their own (the test runner's SK50xx).</summary>
    public ImmutableArray<string> Arguments { get; init; } = [];

    /// <summary>The first line of the compiler text format: <c>path(line,col): error SK3002: message</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Span.File}({Span.Line},{Span.Column}): {SeverityText(Severity)} {Id}: {Message}");

    internal static string SeverityText(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "info",
    };
}
