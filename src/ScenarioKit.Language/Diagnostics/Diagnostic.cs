using ScenarioKit.Model;

namespace ScenarioKit.Language.Diagnostics;

public enum DiagnosticSeverity { Error, Warning, Info }

/// <summary>
/// One entry of the diagnostic catalog (<see cref="DiagnosticCatalog"/>). Ids never change meaning and are never reused.
/// Ranges: SK1xxx YAML, SK2xxx schema, SK3xxx references and flow analysis, SK4xxx expressions, SK5xxx tests.
/// </summary>
public sealed record DiagnosticDescriptor(
    string Id,
    string Title,
    string MessageFormat,
    string MessageFormatJa,
    DiagnosticSeverity DefaultSeverity,
    string Hint)
{
    public string HelpUri => $"docs/diagnostics/{Id}.md";
}

/// <summary>A compiler finding with its place in the source. <see cref="End"/> is exclusive of nothing: it is the last position covered.</summary>
public sealed record Diagnostic(DiagnosticDescriptor Descriptor, DiagnosticSeverity Severity, SourceSpan Span, string Message, string? Hint)
{
    public string Id => Descriptor.Id;
    public bool IsError => Severity == DiagnosticSeverity.Error;
}
