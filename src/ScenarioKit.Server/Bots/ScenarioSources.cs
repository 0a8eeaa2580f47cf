using ScenarioKit.Language;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;
using ScenarioKit.Server.Hosting;

namespace ScenarioKit.Server.Bots;

/// <summary>
/// Turns what <c>scenariokit serve</c> was given into packages: a scenario folder or YAML file (compiled now),
/// a <c>.skpkg</c> file, or a folder of packages (every <c>*.skpkg</c> in it).
/// </summary>
internal static class ScenarioSources
{
    public static bool IsPackageFolder(string path) =>
        Directory.Exists(path) && !File.Exists(Path.Combine(path, "scenario.yaml")) && !File.Exists(Path.Combine(path, "scenario.yml"));

    /// <exception cref="ScenarioSourceException">The source is missing, does not compile, or holds no valid package.</exception>
    public static IReadOnlyList<ScenarioPackage> Load(string path)
    {
        if (File.Exists(path))
        {
            if (path.EndsWith(PackageFormat.FileExtension, StringComparison.OrdinalIgnoreCase)) return [ReadPackage(path)];
            return [Compile(path)];
        }
        if (!Directory.Exists(path)) throw new ScenarioSourceException($"{path}: no such file or folder.");
        if (!IsPackageFolder(path)) return [Compile(path)];
        var files = Directory.GetFiles(path, "*" + PackageFormat.FileExtension).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            throw new ScenarioSourceException($"{path}: the folder holds neither scenario.yaml nor any {PackageFormat.FileExtension} package.");
        return [.. files.Select(ReadPackage)];
    }

    public static ScenarioPackage ReadPackage(string path)
    {
        try
        {
            return PackageFormat.ReadFile(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new ScenarioSourceException($"{path}: {e.Message}");
        }
    }

    static ScenarioPackage Compile(string path)
    {
        var result = ScenarioCompiler.Compile(path);
        if (result.Success && result.Package is { } package) return package;
        var errors = result.Diagnostics.Where(d => d.IsError).ToList();
        throw new ScenarioSourceException($"{path} does not compile ({errors.Count} error(s)):\n{DiagnosticFormatter.FormatLines(errors)}");
    }
}
