using ScenarioKit.Testing.Running;
using ScenarioKit.Testing.Syntax;
using ScenarioKit.Testing.Tests.Support;

namespace ScenarioKit.Testing.Tests.Issues;

/// <summary>
/// Issue 10 item 1: <c>scenariokit test tests</c> crashed (ArgumentException in DisplayPath) when a
/// fixture named <c>common.test.yaml</c>, as docs/testing.md names it, had no <c>scenario:</c>.
/// </summary>
public sealed class Issue10_FixtureWithoutScenarioTests
{
    [Fact]
    public async Task A_fixture_test_file_without_scenario_runs_with_the_files_that_include_it()
    {
        using var dir = new TempDirectory();
        File.Copy(Paths.Fixture("shop", "scenario.yaml"), dir.Combine("scenario.yaml"));
        var fixture = dir.Write(Path.Combine("tests", "common.test.yaml"),
            File.ReadAllText(Paths.Fixture("shop", "tests", "common.yaml")));
        var tests = dir.Write(Path.Combine("tests", "shop.test.yaml"),
            File.ReadAllText(Paths.Fixture("shop", "tests", "shop.test.yaml")).Replace("include: common.yaml", "include: common.test.yaml", StringComparison.Ordinal));

        var found = TestFileFinder.Find([dir.Combine("tests")]);
        Assert.Equal([fixture, tests], found.TestFiles);
        var report = await ScenarioTestRunner.RunAsync(found.TestFiles, [], new TestRunOptions(), TestContext.Current.CancellationToken);

        Assert.Equal(0, report.Errors);
        Assert.True(report.Passed > 0);
        var fixtureSuite = report.Suites.Single(s => s.File.EndsWith("common.test.yaml", StringComparison.Ordinal));
        Assert.Empty(fixtureSuite.Tests);
        Assert.Equal("", fixtureSuite.ScenarioPath);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\0b")]
    public void Display_path_never_throws(string path) => Assert.Equal(path, TestFileReader.DisplayPath(path));

    [Fact]
    public void A_scenario_path_with_a_NUL_is_SK5005_at_its_value()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("x.test.yaml", "scenario: \"a\\0b\"\ntests:\n  - name: t\n    steps:\n      - user: hi\n");
        var (suite, diagnostics) = TestFileReader.Read(path);
        Assert.Null(suite);
        var d = Assert.Single(diagnostics);
        Assert.Equal(("SK5005", 1, 11), (d.Id, d.Span.Line, d.Span.Column));
    }
}
