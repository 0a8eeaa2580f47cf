using ScenarioKit.Cli.Tests.Support;

namespace ScenarioKit.Cli.Tests.Commands;

/// <summary>Serve's failure paths, in process (nothing binds a port); the listening server is tested as a process in <see cref="ProcessTests"/>.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task A_missing_source_is_a_usage_error()
    {
        using var temp = new TempDirectory();

        var run = await CliHarness.RunAsync("serve", temp.Combine("nope"), "--db", temp.Combine("x.db"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("does not exist", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scenario_with_errors_is_not_served()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("broken.yaml");
        File.WriteAllText(path, Scenarios.Broken);

        var run = await CliHarness.RunAsync("serve", path, "--urls", "http://127.0.0.1:0", "--db", temp.Combine("x.db"));

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("SK3002", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Listening", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_setting_of_the_wrong_kind_is_one_error_line_naming_it()
    {
        using var temp = new TempDirectory();

        var run = await CliHarness.RunAsync("serve", Scenarios.Reference, "--urls", "http://127.0.0.1:0", "--db", temp.Combine("x.db"), "--ScenarioKit:Storage:Provider=mysql");

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("The setting ScenarioKit:Storage:Provider is 'mysql'; it must be one of sqlite, postgres.", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Listening", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_explains_pass_through_settings()
    {
        var run = await CliHarness.RunAsync("serve", "--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("--urls", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("--ScenarioKit:DirectLineSecret", run.Stdout, StringComparison.Ordinal);
    }
}
