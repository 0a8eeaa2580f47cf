using System.Collections.Immutable;

namespace ScenarioKit.Testing.Running;

/// <summary>Finds <c>*.test.yaml</c> and <c>*.accuracy.yaml</c> files under folders, in a stable (ordinal) order.</summary>
public static class TestFileFinder
{
    public const string TestSuffix = ".test.yaml";
    public const string AccuracySuffix = ".accuracy.yaml";

    static readonly string[] SkippedFolders = ["bin", "obj", "node_modules", ".git"];

    public sealed record Found(ImmutableArray<string> TestFiles, ImmutableArray<string> AccuracyFiles, ImmutableArray<string> Missing);

    /// <summary>
    /// Folders are searched recursively (skipping bin, obj, node_modules, .git); a file given by name
    /// is an accuracy file if it ends in <c>.accuracy.yaml</c>, otherwise a test file.
    /// </summary>
    public static Found Find(IEnumerable<string> paths)
    {
        var tests = new SortedSet<string>(StringComparer.Ordinal);
        var accuracy = new SortedSet<string>(StringComparer.Ordinal);
        var missing = ImmutableArray.CreateBuilder<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                (path.EndsWith(AccuracySuffix, StringComparison.OrdinalIgnoreCase) ? accuracy : tests).Add(Path.GetFullPath(path));
            }
            else if (Directory.Exists(path))
            {
                foreach (var file in Walk(Path.GetFullPath(path)))
                {
                    if (file.EndsWith(TestSuffix, StringComparison.OrdinalIgnoreCase)) tests.Add(file);
                    else if (file.EndsWith(AccuracySuffix, StringComparison.OrdinalIgnoreCase)) accuracy.Add(file);
                }
            }
            else missing.Add(path);
        }
        return new Found([.. tests], [.. accuracy], missing.ToImmutable());
    }

    static IEnumerable<string> Walk(string directory)
    {
        var pending = new Stack<string>([directory]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            IEnumerable<string> files, subdirs;
            try
            {
                files = Directory.EnumerateFiles(dir, "*.yaml").ToList();
                subdirs = Directory.EnumerateDirectories(dir).ToList();
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                continue;
            }
            foreach (var f in files) yield return f;
            foreach (var d in subdirs)
                if (!SkippedFolders.Contains(Path.GetFileName(d), StringComparer.OrdinalIgnoreCase)) pending.Push(d);
        }
    }
}
