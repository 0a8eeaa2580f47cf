using System.Runtime.CompilerServices;

namespace ScenarioKit.Language.Tests;

internal static class TestPaths
{
    /// <summary>This test project's source folder (golden files are rewritten there, not in bin/).</summary>
    public static string ProjectDirectory { get; } = Here();

    static string Here([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    public static string RepositoryRoot { get; } = Path.GetFullPath(Path.Combine(ProjectDirectory, "..", ".."));

    public static string Fixture(params string[] parts) => Path.Combine([ProjectDirectory, "Fixtures", .. parts]);

    public static readonly CompileOptions English = new() { Language = "en" };
}
