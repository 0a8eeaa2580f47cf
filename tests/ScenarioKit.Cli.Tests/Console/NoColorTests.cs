using ScenarioKit.Cli.Tests.Support;

namespace ScenarioKit.Cli.Tests.Console;

/// <summary>End to end: the same failing validate on a colour terminal, with and without NO_COLOR.</summary>
public sealed class NoColorTests
{
    const string Escape = "\u001b[";
    static readonly Dictionary<string, string> Terminal = new() { ["TERM"] = "xterm-256color" };

    static async Task<CliRun> ValidateBrokenAsync(TempDirectory temp, IReadOnlyDictionary<string, string> environment)
    {
        var path = temp.Combine("broken.yaml");
        File.WriteAllText(path, Scenarios.Broken);
        return await CliHarness.RunOnTerminalAsync(environment, "validate", path);
    }

    [Fact]
    public async Task Diagnostics_and_summary_are_coloured_on_a_terminal()
    {
        using var temp = new TempDirectory();

        var run = await ValidateBrokenAsync(temp, Terminal);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains(Escape, run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NO_COLOR_removes_every_escape_sequence()
    {
        using var temp = new TempDirectory();

        var run = await ValidateBrokenAsync(temp, new Dictionary<string, string>(Terminal) { ["NO_COLOR"] = "1" });

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("error SK3002", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Escape, run.Stdout + run.Stderr, StringComparison.Ordinal);
    }
}
