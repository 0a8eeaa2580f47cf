namespace ScenarioKit.Cli.Tests.Support;

internal static class RepoPaths
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds ScenarioKit.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ScenarioKit.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("ScenarioKit.sln not found above " + AppContext.BaseDirectory);
    }
}
