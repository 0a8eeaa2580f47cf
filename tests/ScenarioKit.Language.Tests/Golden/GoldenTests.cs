using System.Globalization;
using ScenarioKit.Language.Diagnostics;

namespace ScenarioKit.Language.Tests.Golden;

/// <summary>
/// Golden diagnostics: every Golden/&lt;area&gt;/&lt;case&gt;.yaml (or &lt;case&gt;/ folder scenario) is compiled and its
/// diagnostics compared with &lt;case&gt;.diagnostics.txt (first line of each, in the CLI text format).
/// SK_UPDATE_GOLDEN=1 rewrites the expectations. A first line "# sk-options: maxFileBytes=N" sets limits.
/// </summary>
public class GoldenTests
{
    public static string GoldenDirectory => Path.Combine(TestPaths.ProjectDirectory, "Golden");

    /// <summary>&lt;case&gt;.fixed.yaml: the case with its problem fixed (docs/diagnostics shows it); it must compile clean.</summary>
    public const string FixedSuffix = ".fixed.yaml";

    public static string? FixedPath(string relative) =>
        relative.EndsWith(".yaml", StringComparison.Ordinal) && File.Exists(Path.Combine(GoldenDirectory, relative[..^5] + FixedSuffix))
            ? relative[..^5] + FixedSuffix
            : null;

    public static TheoryData<string> FixedCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in AllCases()) if (FixedPath(c) is { } f) data.Add(f);
        return data;
    }

    [Theory]
    [MemberData(nameof(FixedCases))]
    public void Fixed_version_compiles_without_diagnostics(string relative)
    {
        var result = CompileCase(relative);
        Assert.True(result.Diagnostics.IsEmpty, $"{relative}:\n{DiagnosticFormatter.FormatLines(result.Diagnostics)}");
        Assert.NotNull(result.Package);
    }

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in AllCases()) data.Add(c);
        return data;
    }

    public static IEnumerable<string> AllCases()
    {
        var files = Directory.EnumerateFiles(GoldenDirectory, "*.yaml", SearchOption.TopDirectoryOnly).Any()
            ? throw new InvalidOperationException("golden cases live in Golden/<area>/")
            : Directory.EnumerateDirectories(GoldenDirectory).SelectMany(area =>
                Directory.EnumerateFiles(area, "*.yaml").Where(f => !f.EndsWith(FixedSuffix, StringComparison.Ordinal)).Concat(Directory.EnumerateDirectories(area)));
        return files.Select(f => Path.GetRelativePath(GoldenDirectory, f).Replace('\\', '/')).Order(StringComparer.Ordinal);
    }

    internal static CompilationResult CompileCase(string relative)
    {
        var path = Path.Combine(GoldenDirectory, relative);
        var options = TestPaths.English;
        var optionFile = Directory.Exists(path) ? Path.Combine(path, "scenario.yaml") : path;
        if (File.Exists(optionFile) && File.ReadLines(optionFile).FirstOrDefault() is { } first && first.StartsWith("# sk-options:", StringComparison.Ordinal))
            foreach (var setting in first["# sk-options:".Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var (key, value) = (setting.Split('=')[0], setting.Split('=')[1]);
                options = key switch
                {
                    "maxFileBytes" => options with { MaxFileBytes = long.Parse(value, CultureInfo.InvariantCulture) },
                    "maxNodes" => options with { MaxNodes = int.Parse(value, CultureInfo.InvariantCulture) },
                    "maxDepth" => options with { MaxDepth = int.Parse(value, CultureInfo.InvariantCulture) },
                    _ => throw new InvalidOperationException($"unknown sk-option {key}"),
                };
            }
        return ScenarioCompiler.Compile(path, options);
    }

    internal static string ExpectationPath(string relative) =>
        Path.Combine(GoldenDirectory, relative.EndsWith(".yaml", StringComparison.Ordinal) ? relative[..^5] : relative) + ".diagnostics.txt";

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_produces_expected_diagnostics(string relative)
    {
        var result = CompileCase(relative);
        var actual = DiagnosticFormatter.FormatLines(result.Diagnostics);
        var expectationPath = ExpectationPath(relative);
        if (Environment.GetEnvironmentVariable("SK_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(expectationPath, actual);
            return;
        }
        Assert.True(File.Exists(expectationPath), $"missing {expectationPath}; run with SK_UPDATE_GOLDEN=1. Actual:\n{actual}");
        var expected = File.ReadAllText(expectationPath).ReplaceLineEndings("\n");
        Assert.True(expected == actual, $"golden mismatch for {relative}\n--- expected\n{expected}--- actual\n{actual}");
        Assert.NotEmpty(result.Diagnostics);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == DiagnosticCatalog.InternalError.Id);
        if (result.Diagnostics.Any(d => d.IsError)) Assert.Null(result.Package);
    }

    [Fact]
    public void There_are_at_least_40_golden_cases() => Assert.True(AllCases().Count() >= 40, $"only {AllCases().Count()} golden cases");
}
