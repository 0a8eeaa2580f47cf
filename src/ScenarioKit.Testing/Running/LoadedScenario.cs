using System.Collections.Concurrent;
using System.Collections.Immutable;
using ScenarioKit.Engine;
using ScenarioKit.Language;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;
using ScenarioKit.Testing.Coverage;
using ScenarioKit.Testing.Diagnostics;

namespace ScenarioKit.Testing.Running;

/// <summary>A compiled and loaded scenario shared by every test of it (the runtime is thread-safe), with its coverage.</summary>
internal sealed record LoadedScenario(string Path, ScenarioPackage Package, ScenarioRuntime Runtime, CoverageCollector Coverage)
{
    /// <summary>A runtime error with its file shown like the test files' (the compiler names files relative to the scenario).</summary>
    public string Show(RuntimeError error) => error.Span.Line > 0 ? $"{ScenarioCache.Display(Path, error.Span)}: {error.Message}" : error.Message;
}

/// <summary>Compiles each scenario once per run, however many test and accuracy files name it.</summary>
internal sealed class ScenarioCache
{
    readonly ConcurrentDictionary<string, Lazy<(LoadedScenario? Scenario, ImmutableArray<Diagnostic> Diagnostics)>> _byPath = new(StringComparer.Ordinal);

    public (LoadedScenario? Scenario, ImmutableArray<Diagnostic> Diagnostics) Get(string fullPath) =>
        _byPath.GetOrAdd(fullPath, p => new(() => Load(p))).Value;

    public IEnumerable<LoadedScenario> Loaded =>
        _byPath.Values.Where(l => l.IsValueCreated && l.Value.Scenario is not null).Select(l => l.Value.Scenario!);

    static (LoadedScenario?, ImmutableArray<Diagnostic>) Load(string path)
    {
        ScenarioPackage package;
        ImmutableArray<Diagnostic> diagnostics = [];
        if (path.EndsWith(PackageFormat.FileExtension, StringComparison.OrdinalIgnoreCase) && File.Exists(path))
        {
            try
            {
                package = PackageFormat.ReadFile(path);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                return (null, [Problem(path, e.Message)]);
            }
        }
        else
        {
            if (!File.Exists(path) && !Directory.Exists(path)) return (null, [Problem(path, "no such file or folder")]);
            var result = EngineAdapter.Compile(path);
            diagnostics = [.. result.Diagnostics.Select(d => d with { Span = d.Span with { File = DisplayFile(path, d.Span.File) } })];
            if (!result.Success || result.Package is null)
            {
                var errors = diagnostics.Where(d => d.IsError).ToList();
                var first = errors.Count > 0 ? DiagnosticText.Format(errors[0]) : "the compiler produced no package";
                return (null, [.. diagnostics, Problem(path, $"it has {errors.Count} compile error(s); first: {first}")]);
            }
            package = result.Package;
        }
        ScenarioRuntime runtime;
        try
        {
            runtime = EngineAdapter.Load(package);
        }
        catch (ScenarioLoadException e)
        {
            var first = e.Errors.IsDefaultOrEmpty ? e.Message : e.Errors[0].ToString();
            return (null, [.. diagnostics, Problem(path, $"the engine cannot load it: {first}")]);
        }
        return (new LoadedScenario(path, package, runtime, new CoverageCollector(package.Model, TestFileReaderPath(path), span => Display(path, span))), diagnostics);
    }

    /// <summary>
    /// The compiler names a scenario's files relative to the scenario (<c>flows/orders.yaml</c>); reports
    /// name them as the test files are named, relative to the current folder.
    /// </summary>
    internal static string DisplayFile(string scenarioPath, string file)
    {
        if (file.Length == 0 || System.IO.Path.IsPathRooted(file)) return file;
        var baseDirectory = Directory.Exists(scenarioPath) ? scenarioPath : System.IO.Path.GetDirectoryName(scenarioPath) ?? ".";
        return Syntax.TestFileReader.DisplayPath(System.IO.Path.Combine(baseDirectory, file));
    }

    internal static string Display(string scenarioPath, SourceSpan span) =>
        $"{DisplayFile(scenarioPath, span.File)}({span.Line},{span.Column})";

    static string TestFileReaderPath(string path) => Syntax.TestFileReader.DisplayPath(path);

    // The span is filled in by the caller (the 'scenario:' line of the file that names it).
    static Diagnostic Problem(string path, string message) =>
        new(TestDiagnostics.ScenarioNotCompiled, TestDiagnostics.ScenarioNotCompiled.DefaultSeverity, SourceSpan.None,
            string.Format(System.Globalization.CultureInfo.InvariantCulture, TestDiagnostics.ScenarioNotCompiled.MessageFormat, Syntax.TestFileReader.DisplayPath(path), message),
            TestDiagnostics.ScenarioNotCompiled.Hint);
}
