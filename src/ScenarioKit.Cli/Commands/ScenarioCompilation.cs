using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using ScenarioKit.Language;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;

namespace ScenarioKit.Cli.Commands;

/// <summary>
/// Compiles what the user named and prepares the result for printing: span paths become paths the
/// user can open from the current folder (<c>scenarios/retail-support/flows/order.yaml</c>), several
/// scenarios merge into one result so JSON and SARIF stay one document, and <c>--warnaserror</c>
/// turns warnings into errors before anything is printed (as roslyn's /warnaserror).
/// </summary>
internal static class ScenarioCompilation
{
    /// <summary>The <c>--lang</c> option of validate and build.</summary>
    public static Option<string?> LanguageOption()
    {
        var option = new Option<string?>("--lang")
        {
            Description = "Language of diagnostic messages and hints: en or ja (default: the system language, e.g. LANG=ja_JP.UTF-8).",
        };
        option.AcceptOnlyFromAmong("en", "ja");
        return option;
    }

    /// <param name="language">"en" or "ja" for diagnostic messages; null: the system UI language.</param>
    public static CompilationResult Compile(string path, bool warningsAsErrors, string? language = null)
    {
        var options = language is null ? CompileOptions.Default : CompileOptions.Default with { Language = language };
        var result = ScenarioCompiler.Compile(path, options);
        var prefix = DisplayPrefix(result.RootDirectory ?? (Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))));
        var diagnostics = result.Diagnostics.Select(d =>
        {
            var severity = warningsAsErrors && d.Severity == DiagnosticSeverity.Warning ? DiagnosticSeverity.Error : d.Severity;
            return d with { Severity = severity, Span = Display(d.Span, prefix), Related = [.. d.Related.Select(r => Display(r, prefix))] };
        }).ToImmutableArray();
        var sources = result.Sources.ToImmutableDictionary(kv => Join(prefix, kv.Key), kv => kv.Value, StringComparer.Ordinal);
        var failed = diagnostics.Any(d => d.IsError);
        return new CompilationResult(failed ? null : result.Package, diagnostics, sources) { RootDirectory = result.RootDirectory };
    }

    /// <summary>One result for several scenarios; it has a package (so <c>success</c> is true) only when every scenario compiled without errors.</summary>
    public static CompilationResult Merge(IReadOnlyList<CompilationResult> results)
    {
        if (results.Count == 1)
            return results[0];
        var diagnostics = results.SelectMany(r => r.Diagnostics).ToImmutableArray();
        var sources = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, text) in results.SelectMany(r => r.Sources))
            sources[key] = text;
        var package = results.All(r => r.Success) ? results[0].Package : null;
        return new CompilationResult(package, diagnostics, sources.ToImmutable());
    }

    /// <summary>The compiler's text format (source line and caret included) without its trailing count:
    /// the CLI prints one summary for all scenarios instead.</summary>
    public static void WriteText(CompilationResult result, TextWriter writer, bool color) =>
        DiagnosticFormatter.FormatText(result, writer, color, summary: false);

    /// <summary>"2 errors, 1 warning in 1 scenario".</summary>
    public static string Summary(IEnumerable<Diagnostic> diagnostics, int scenarios)
    {
        var list = diagnostics.ToList();
        var errors = list.Count(d => d.Severity == DiagnosticSeverity.Error);
        var warnings = list.Count(d => d.Severity == DiagnosticSeverity.Warning);
        return string.Create(CultureInfo.InvariantCulture,
            $"{errors} {(errors == 1 ? "error" : "errors")}, {warnings} {(warnings == 1 ? "warning" : "warnings")} in {scenarios} {(scenarios == 1 ? "scenario" : "scenarios")}");
    }

    /// <summary>The folder as the user would type it from here: relative when inside the current folder, else absolute; "" for the current folder.</summary>
    internal static string DisplayPrefix(string? folder)
    {
        if (string.IsNullOrEmpty(folder))
            return "";
        var full = Path.GetFullPath(folder);
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), full);
        var shown = relative == "." ? "" : relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
        return shown.Replace('\\', '/');
    }

    static SourceSpan Display(SourceSpan span, string prefix) => span.File.Length == 0 ? span : span with { File = Join(prefix, span.File) };

    internal static string Join(string prefix, string file) =>
        prefix.Length == 0 || Path.IsPathRooted(file) ? file.Replace('\\', '/') : prefix.TrimEnd('/') + "/" + file.Replace('\\', '/');
}
