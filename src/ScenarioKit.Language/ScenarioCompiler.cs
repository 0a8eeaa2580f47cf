using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.ExceptionServices;
using ScenarioKit.Language.Binding;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Language.Schema;
using ScenarioKit.Language.Syntax;
using ScenarioKit.Model;

namespace ScenarioKit.Language;

/// <summary>
/// The compiler: YAML → tree with spans → JSON Schema check → binding and semantic checks → package.
/// Never throws for any input: an unexpected exception becomes SK1000 at one boundary.
/// </summary>
public static class ScenarioCompiler
{
    // The parsers recurse per nesting level; run on a thread with a large stack so that no input can
    // overflow it (input sizes and nesting are capped too, see CompileOptions and ExpressionChecker).
    const int StackSize = 256 * 1024 * 1024;

    /// <summary>Compiler version recorded in packages: the informational version without the "+commit" suffix.</summary>
    public static string Version { get; } = ReadVersion();

    static string ReadVersion()
    {
        var v = typeof(ScenarioCompiler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(ScenarioCompiler).Assembly.GetName().Version?.ToString() ?? "0.0.0";
        var plus = v.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? v[..plus] : v;
    }

    /// <summary>Compiles a scenario file, or a folder holding scenario.yaml plus flows/, intents/, actions/.</summary>
    public static CompilationResult Compile(string path, CompileOptions? options = null)
    {
        options ??= CompileOptions.Default;
        return Run(options, bag =>
        {
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                bag.Report(DiagnosticCatalog.CannotRead, new SourceSpan(Path.GetFileName(path), 1, 1, 1, 1), path,
                    new Localized("no such file or folder", "ファイルまたはフォルダーがありません"));
                return null;
            }
            return ScenarioLoader.Load(path, options, bag);
        });
    }

    /// <summary>Compiles YAML text as a one-file scenario named <paramref name="fileName"/>.</summary>
    public static CompilationResult CompileText(string yaml, string fileName = "scenario.yaml") => CompileText(yaml, fileName, null);

    public static CompilationResult CompileText(string yaml, string fileName, CompileOptions? options)
    {
        options ??= CompileOptions.Default;
        return Run(options, bag => ScenarioLoader.LoadText(yaml ?? "", fileName, options, bag));
    }

    static CompilationResult Run(CompileOptions options, Func<DiagnosticBag, ScenarioSyntax?> load)
    {
        CompilationResult? result = null;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = CompileCore(options, load);
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, StackSize) { Name = "ScenarioKit compiler", IsBackground = true };
        thread.Start();
        thread.Join();
        if (result is not null) return result;
        var bag = new DiagnosticBag(options.Language);
        var e = failure?.SourceException;
        bag.Report(DiagnosticCatalog.InternalError, new SourceSpan("", 1, 1, 1, 1), e is null ? "no result" : Describe(e));
        return new CompilationResult(null, bag.ToSortedArray(), ImmutableDictionary<string, string>.Empty);
    }

    // The type, message and throwing method: enough to file a bug, without a stack trace in front of a designer.
    static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message} (in {e.TargetSite?.DeclaringType?.Name}.{e.TargetSite?.Name})";

    static CompilationResult CompileCore(CompileOptions options, Func<DiagnosticBag, ScenarioSyntax?> load)
    {
        var bag = new DiagnosticBag(options.Language);
        ScenarioSyntax? syntax = null;
        ScenarioPackage? package = null;
        try
        {
            if (options.ThrowForTesting) throw new InvalidOperationException("test fault");
            syntax = load(bag);
            if (syntax?.Root is { } root && !bag.HasErrors)
            {
                var before = bag.Count;
                SchemaValidator.Validate(root, options, bag);
                var schema = bag.Items.Skip(before).ToList();
                // Binding and the checks run on whatever is well-formed even after schema errors, so one run
                // reports everything; SchemaRecovery drops what would repeat or follow from a reported shape.
                var later = new DiagnosticBag(bag.Language);
                var bound = Binding.Binder.Bind(root, syntax.Files, later);
                SemanticChecker.Check(bound, later);
                bag.AddRange(SchemaRecovery.Filter(later.Items, schema, root));
                if (!bag.HasErrors) package = PackageFormat.CreatePackage(bound.Model, Version);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var at = (syntax is { Files.Count: > 0 } ? syntax.Files[0].Start : null) ?? new SourceSpan("", 1, 1, 1, 1);
            bag.Report(DiagnosticCatalog.InternalError, at, Describe(e));
            package = null;
        }
        var sources = syntax is null
            ? ImmutableDictionary<string, string>.Empty
            : syntax.Files.ToImmutableDictionary(f => f.Path, f => f.Text, StringComparer.Ordinal);
        return new CompilationResult(bag.HasErrors ? null : package, bag.ToSortedArray(), sources) { RootDirectory = syntax?.RootDirectory };
    }
}
