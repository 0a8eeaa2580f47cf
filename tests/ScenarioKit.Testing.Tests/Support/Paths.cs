namespace ScenarioKit.Testing.Tests.Support;

internal static class Paths
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds ScenarioKit.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string Fixtures { get; } = Path.Combine(Root, "tests", "ScenarioKit.Testing.Tests", "Fixtures");

    public static string Fixture(params string[] parts) => Path.Combine([Fixtures, .. parts]);

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ScenarioKit.sln"))) return dir.FullName;
        throw new InvalidOperationException("ScenarioKit.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fresh folder under the system temp folder, deleted when the test ends.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sk-testing-" + Guid.NewGuid().ToString("N"));

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string Write(string name, string text)
    {
        var path = Combine(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>Golden files: a missing or different expectation fails; SK_UPDATE_GOLDEN=1 rewrites them.</summary>
internal static class Golden
{
    public static void Check(string expectedPath, string actual)
    {
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("SK_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(expectedPath, actual);
            return;
        }
        Assert.True(File.Exists(expectedPath), $"missing golden file {expectedPath}; actual output:\n{actual}");
        var expected = File.ReadAllText(expectedPath).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.True(expected == actual, $"{expectedPath} differs.\nexpected:\n{expected}\nactual:\n{actual}");
    }
}
