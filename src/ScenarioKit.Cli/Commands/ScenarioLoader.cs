using ScenarioKit.Cli.Console;
using ScenarioKit.Model;

namespace ScenarioKit.Cli.Commands;

/// <summary>Gets a package from what the user named: a built <c>.skpkg</c>, or a scenario folder or file compiled on the spot.</summary>
internal static class ScenarioLoader
{
    /// <summary>Null package (after printing why) when the path is missing, the package is unreadable or the scenario has errors.</summary>
    public static (ScenarioPackage? Package, int ExitCode) Load(CliContext context, string path, TextWriter diagnostics)
    {
        var (package, _, exitCode) = LoadWithRoot(context, path, diagnostics);
        return (package, exitCode);
    }

    /// <summary>
    /// As <see cref="Load"/>, plus the folder span paths are relative to, as the user would type it (null for a
    /// package: its spans name files of a source folder that may not be here).
    /// </summary>
    public static (ScenarioPackage? Package, string? DisplayRoot, int ExitCode) LoadWithRoot(CliContext context, string path, TextWriter diagnostics)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
            return (null, null, CommandGuard.Usage(context, $"{path} does not exist."));
        if (File.Exists(path) && path.EndsWith(PackageFormat.FileExtension, StringComparison.OrdinalIgnoreCase))
            return (PackageFormat.ReadFile(path), null, ExitCodes.Success);

        var compiled = ScenarioCompilation.Compile(path, warningsAsErrors: false);
        if (compiled.Package is { } package)
            return (package, ScenarioCompilation.DisplayPrefix(compiled.RootDirectory), ExitCodes.Success);
        // Only errors: a designer chatting with a draft does not need its warnings on every start.
        var errors = compiled with { Diagnostics = [.. compiled.Diagnostics.Where(d => d.IsError)] };
        ScenarioCompilation.WriteText(errors, diagnostics, context.ErrorSupportsColor);
        return (null, null, CommandGuard.Fail(context, ScenarioCompilation.Summary(errors.Diagnostics, 1) + $": {path} cannot be loaded."));
    }
}
