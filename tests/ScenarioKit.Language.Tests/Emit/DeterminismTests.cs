using ScenarioKit.Model;

namespace ScenarioKit.Language.Tests.Emit;

public class DeterminismTests
{
    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var d in Directory.EnumerateDirectories(Path.Combine(TestPaths.RepositoryRoot, "scenarios")).Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(d));
        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Two_builds_give_identical_bytes_and_the_package_round_trips(string sample)
    {
        var path = Path.Combine(TestPaths.RepositoryRoot, "scenarios", sample);
        var first = ScenarioCompiler.Compile(path, TestPaths.English);
        var second = ScenarioCompiler.Compile(path, TestPaths.English with { Language = "ja" });
        Assert.NotNull(first.Package);
        Assert.NotNull(second.Package);
        var bytes = PackageFormat.Write(first.Package);
        Assert.Equal(bytes, PackageFormat.Write(second.Package));

        var read = PackageFormat.Read(new MemoryStream(bytes));
        Assert.Equal(first.Package.Manifest, read.Manifest);
        Assert.Equal(PackageFormat.SerializeModel(first.Package.Model), PackageFormat.SerializeModel(read.Model));
        Assert.Equal(ScenarioCompiler.Version, read.Manifest.CompilerVersion);
        Assert.DoesNotContain('+', read.Manifest.CompilerVersion);
    }
}
