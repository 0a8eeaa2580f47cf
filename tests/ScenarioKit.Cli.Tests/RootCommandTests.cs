using System.CommandLine;
using ScenarioKit.Cli.Console;
using ScenarioKit.Cli.Tests.Support;
using Spectre.Console.Testing;

namespace ScenarioKit.Cli.Tests;

public sealed class RootCommandTests
{
    [Fact]
    public void Every_command_option_and_argument_has_a_description()
    {
        using var console = new TestConsole();
        var root = RootCommandFactory.Create(new CliContext(console, console, TextReader.Null, inputIsTerminal: false));
        var missing = new List<string>();
        Walk(root, root.Name);
        Assert.True(missing.Count == 0, "no description: " + string.Join(", ", missing));

        void Walk(Command command, string path)
        {
            if (string.IsNullOrWhiteSpace(command.Description)) missing.Add(path);
            foreach (var option in command.Options.Where(o => string.IsNullOrWhiteSpace(o.Description)))
                missing.Add(path + " " + option.Name);
            foreach (var argument in command.Arguments.Where(a => string.IsNullOrWhiteSpace(a.Description)))
                missing.Add(path + " <" + argument.Name + ">");
            foreach (var sub in command.Subcommands)
                Walk(sub, path + " " + sub.Name);
        }
    }

    [Fact]
    public void Every_command_has_help_examples()
    {
        using var console = new TestConsole();
        var root = RootCommandFactory.Create(new CliContext(console, console, TextReader.Null, inputIsTerminal: false));
        Assert.All(root.Subcommands, c => Assert.NotEmpty(HelpExamples.Get(c)));
    }

    [Fact]
    public async Task Help_lists_the_commands_and_ends_with_examples()
    {
        var run = await CliHarness.RunAsync("--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        foreach (var command in new[] { "new <name>", "validate <paths>", "build <path>", "chat <scenario>", "serve <sources>", "graph <scenario>", "test <paths>" })
            Assert.Contains("  " + command, run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Examples:\n  scenariokit new", run.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subcommand_help_shows_its_own_examples()
    {
        var run = await CliHarness.RunAsync("new", "--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("--locale", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("scenariokit new 通販サポート --locale ja-JP --id shop-support", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_the_assembly_version()
    {
        var run = await CliHarness.RunAsync("--version");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.StartsWith("0.1.0", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("new")]
    [InlineData("new", "x", "--locale", "fr-FR")]
    [InlineData("new", "x", "--no-such-option")]
    public async Task Usage_errors_exit_with_2_and_point_at_help(params string[] args)
    {
        var run = await CliHarness.RunAsync(args);

        Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
        Assert.Contains("--help' for usage.", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_arguments_prints_help_and_exits_with_2()
    {
        var run = await CliHarness.RunAsync();

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Usage:", run.Stdout, StringComparison.Ordinal);
    }
}
