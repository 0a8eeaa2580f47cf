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
internal sealed record LoadedScenario(string Path, ScenarioPackage Package, ScenarioRuntime Runtime, CoverageCollector Coverage);

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
            diagnostics = result.Diagnostics;
            if (!result.Success || result.Package is null)
            {
                var errors = result.Diagnostics.Where(d => d.IsError).ToList();
                var first = errors.Count > 0 ? DiagnosticText.Format(errors[0]) : "the compiler produced no package";
                return (null, [.. result.Diagnostics, Problem(path, $"it has {errors.Count} compile error(s); first: {first}")]);
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
        return (new LoadedScenario(path, package, runtime, new CoverageCollector(package.Model, TestFileReaderPath(path))), diagnostics);
    }

    static string TestFileReaderPath(string path) => Syntax.TestFileReader.DisplayPath(path);

    // The span is filled in by the caller (the 'scenario:' line of the file that names it).
    static Diagnostic Problem(string path, string message) =>
        new(TestDiagnostics.ScenarioNotCompiled, TestDiagnostics.ScenarioNotCompiled.DefaultSeverity, SourceSpan.None,
            string.Format(System.Globalization.CultureInfo.InvariantCulture, TestDiagnostics.ScenarioNotCompiled.MessageFormat, Syntax.TestFileReader.DisplayPath(path), message),
            TestDiagnostics.ScenarioNotCompiled.Hint);
}
