namespace ScenarioKit.Language.Tests;

internal static class TestPaths
{
    // Found from the test binary, not [CallerFilePath]: with CI=true the build is a
    // ContinuousIntegrationBuild, which maps source paths to /_/ (deterministic PDBs).
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>This test project's source folder (golden files are rewritten there, not in bin/).</summary>
    public static string ProjectDirectory { get; } = Path.Combine(RepositoryRoot, "tests", "ScenarioKit.Language.Tests");

    public static string Fixture(params string[] parts) => Path.Combine([ProjectDirectory, "Fixtures", .. parts]);

    public static readonly CompileOptions English = new() { Language = "en" };

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ScenarioKit.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"ScenarioKit.sln not found above {AppContext.BaseDirectory}");
    }
}
