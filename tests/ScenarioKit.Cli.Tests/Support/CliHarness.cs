using System.CommandLine;
using ScenarioKit.Cli.Console;
using Spectre.Console.Testing;

namespace ScenarioKit.Cli.Tests.Support;

/// <summary>What one in-process run printed: the Spectre consoles (human output) and System.CommandLine's writers (machine output, parse errors).</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error, string Stdout, string Stderr)
{
    /// <summary>Everything the run printed, for failure messages.</summary>
    public override string ToString() =>
        $"exit {ExitCode}\n--- console out ---\n{Out}\n--- console error ---\n{Error}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs the real root command in process, as command-line-api's own tests do, with TestConsole for Spectre output.</summary>
internal static class CliHarness
{
    public static Task<CliRun> RunAsync(params string[] args) => RunWithInputAsync("", args);

    public static async Task<CliRun> RunWithInputAsync(string input, params string[] args)
    {
        using var outConsole = new TestConsole().Width(400);
        using var errorConsole = new TestConsole().Width(400);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new CliContext(outConsole, errorConsole, new StringReader(input), inputIsTerminal: false);
        var root = RootCommandFactory.Create(context);
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        var exitCode = await CliRunner.InvokeAsync(root, args, config, TestContext.Current.CancellationToken);
        return new CliRun(exitCode, outConsole.Output, errorConsole.Output, stdout.ToString(), stderr.ToString());
    }
}
