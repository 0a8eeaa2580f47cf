using ScenarioKit.Cli.Tests.Support;
using ScenarioKit.Model;

namespace ScenarioKit.Cli.Tests.Commands;

public sealed class GraphCommandTests
{
    static string WritePackage(TempDirectory temp)
    {
        var path = temp.Combine("shop-1.2.3.skpkg");
        PackageFormat.WriteFile(PackageFormat.CreatePackage(TestModels.Shop(), "test"), path);
        return path;
    }

    [Fact]
    public async Task Prints_mermaid_for_a_package_to_standard_output()
    {
        using var temp = new TempDirectory();

        var run = await CliHarness.RunAsync("graph", WritePackage(temp));

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("flowchart TD", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("subgraph flow_order_status[\"flow order_status\"]", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_dot_to_a_file()
    {
        using var temp = new TempDirectory();
        var output = temp.Combine("flow.dot");

        var run = await CliHarness.RunAsync("graph", WritePackage(temp), "--format", "dot", "-o", output);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.StartsWith("digraph", File.ReadAllText(output), StringComparison.Ordinal);
        Assert.Contains("Wrote", run.Out, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task A_missing_path_is_a_usage_error()
    {
        using var temp = new TempDirectory();

        var run = await CliHarness.RunAsync("graph", temp.Combine("nope"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("does not exist", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_package_fails_with_a_message_not_a_stack_trace()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("broken.skpkg");
        File.WriteAllText(path, "not a zip");

        var run = await CliHarness.RunAsync("graph", path);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("error:", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_format_is_a_usage_error()
    {
        using var temp = new TempDirectory();

        var run = await CliHarness.RunAsync("graph", WritePackage(temp), "--format", "png");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
    }

    [Fact]
    public async Task Compiles_a_scenario_folder_and_draws_every_flow()
    {
        using var temp = new TempDirectory();
        var folder = await Scenarios.ScaffoldAsync(temp, "ja-JP");

        var run = await CliHarness.RunAsync("graph", folder);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("subgraph flow_order_status[\"flow order_status\"]", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("ask order.number<br/>ご注文番号（8桁）を教えてください。", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("rule misunderstood-twice", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("-->|\"fails 3×\"|", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scenario_with_errors_is_not_drawn()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("broken.yaml");
        File.WriteAllText(path, Scenarios.Broken);

        var run = await CliHarness.RunAsync("graph", path);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("error SK3002", run.Stderr, StringComparison.Ordinal);
    }
}
