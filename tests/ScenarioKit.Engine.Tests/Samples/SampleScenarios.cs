using ScenarioKit.Language;
using ScenarioKit.Model;

namespace ScenarioKit.Engine.Tests.Samples;

/// <summary>Compiles the scenarios under <c>scenarios/</c> with the real compiler.</summary>
internal static class SampleScenarios
{
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ScenarioKit.sln"))) return dir.FullName;
        throw new InvalidOperationException("ScenarioKit.sln not found above " + AppContext.BaseDirectory);
    }

    public static IEnumerable<string> Names() =>
        Directory.GetDirectories(Path.Combine(Root, "scenarios")).Where(d => File.Exists(Path.Combine(d, "scenario.yaml"))).Select(Path.GetFileName).Order()!;

    public static ScenarioPackage Compile(string name)
    {
        var result = ScenarioCompiler.Compile(Path.Combine(Root, "scenarios", name));
        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics));
        return result.Package!;
    }
}
