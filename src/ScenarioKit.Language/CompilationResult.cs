using System.Collections.Immutable;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;

namespace ScenarioKit.Language;

/// <summary>
/// What a compile returns: the package when there were no errors, every diagnostic found in one run
/// (sorted by file, line, column, id), and the source texts read (keyed by the path used in spans)
/// so formatters can print the line with a caret.
/// </summary>
public sealed record CompilationResult(
    ScenarioPackage? Package,
    ImmutableArray<Diagnostic> Diagnostics,
    ImmutableDictionary<string, string> Sources)
{
    public bool Success => Package is not null && !Diagnostics.Any(d => d.IsError);

    /// <summary>The scenario folder (or the folder of a one-file scenario) that span paths are relative to; null for text compiles.</summary>
    public string? RootDirectory { get; init; }
}
