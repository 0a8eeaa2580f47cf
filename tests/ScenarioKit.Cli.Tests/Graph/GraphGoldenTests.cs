using ScenarioKit.Cli.Tests.Support;

namespace ScenarioKit.Cli.Tests.Graph;

/// <summary>
/// The graph of the reference scenario (its content is fixed by the benchmark) against a reviewed golden file;
/// the Mermaid golden renders with mermaid-cli and the DOT one with Graphviz. <c>SK_UPDATE_GOLDEN=1</c> rewrites them.
/// </summary>
public sealed class GraphGoldenTests
{
    [Theory]
    [InlineData("mermaid", "reference-support.mmd")]
    [InlineData("dot", "reference-support.dot")]
    public async Task Reference_scenario_graph_matches_the_golden_file(string format, string golden)
    {
        var run = await CliHarness.RunAsync("graph", Scenarios.Reference, "--format", format);
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());

        // Golden files live in the source tree, not the build output, so an update is a reviewable diff.
        var path = Path.Combine(RepoPaths.Root, "tests", "ScenarioKit.Cli.Tests", "Golden", "graph", golden);
        var actual = run.Stdout.ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable("SK_UPDATE_GOLDEN") == "1")
            await File.WriteAllTextAsync(path, actual, TestContext.Current.CancellationToken);

        Assert.True(File.Exists(path), $"missing golden file {path}; run with SK_UPDATE_GOLDEN=1 to create it. Actual:\n{actual}");
        Assert.Equal((await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)).ReplaceLineEndings("\n"), actual);
    }
}
