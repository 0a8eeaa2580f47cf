using System.CommandLine;
using ScenarioKit.Cli.Console;
using Spectre.Console;
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

    /// <summary>Runs with the consoles the real process would create for a terminal with <paramref name="environment"/>.</summary>
    public static async Task<CliRun> RunOnTerminalAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var outWriter = new StringWriter();
        using var errorWriter = new StringWriter();
        var context = new CliContext(
            ConsoleFactory.Create(outWriter, isTerminal: true, environment),
            ConsoleFactory.Create(errorWriter, isTerminal: true, environment),
            TextReader.Null,
            inputIsTerminal: true);
        var config = new InvocationConfiguration { Output = outWriter, Error = errorWriter, EnableDefaultExceptionHandler = false };
        var exitCode = await CliRunner.InvokeAsync(RootCommandFactory.Create(context), args, config, TestContext.Current.CancellationToken);
        return new CliRun(exitCode, outWriter.ToString(), errorWriter.ToString(), outWriter.ToString(), errorWriter.ToString());
    }

    public static Task<CliRun> RunWithInputAsync(string input, params string[] args) => RunWithInputAsync(input, inputIsTerminal: false, args);

    /// <summary>Runs on a terminal where the user types <paramref name="typed"/> (one entry per line) at the prompts on stderr.</summary>
    public static async Task<CliRun> RunWithPromptsAsync(IEnumerable<string> typed, params string[] args)
    {
        using var outConsole = new TestConsole().Width(400).SupportsAnsi(false).Colors(ColorSystem.NoColors);
        using var errorConsole = new TestConsole().Width(400).SupportsAnsi(false).Colors(ColorSystem.NoColors).Interactive();
        foreach (var line in typed)
        {
            // PushText maps each char to a ConsoleKey and throws beyond Latin-1; a terminal delivers Japanese as key chars with no key code.
            foreach (var c in line)
                errorConsole.Input.PushKey(new ConsoleKeyInfo(c, char.IsAscii(c) ? (ConsoleKey)char.ToUpperInvariant(c) : 0, false, false, false));
            errorConsole.Input.PushKey(ConsoleKey.Enter);
        }
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new CliContext(outConsole, errorConsole, TextReader.Null, inputIsTerminal: true);
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        var exitCode = await CliRunner.InvokeAsync(RootCommandFactory.Create(context), args, config, TestContext.Current.CancellationToken);
        return new CliRun(exitCode, outConsole.Output, errorConsole.Output, stdout.ToString(), stderr.ToString());
    }

    public static async Task<CliRun> RunWithInputAsync(string input, bool inputIsTerminal, params string[] args)
    {
        // Like a redirected process: no ANSI, no colour (the terminal case is tested on ConsoleFactory itself).
        using var outConsole = new TestConsole().Width(400).SupportsAnsi(false).Colors(ColorSystem.NoColors);
        using var errorConsole = new TestConsole().Width(400).SupportsAnsi(false).Colors(ColorSystem.NoColors);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new CliContext(outConsole, errorConsole, new StringReader(input), inputIsTerminal);
        var root = RootCommandFactory.Create(context);
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        var exitCode = await CliRunner.InvokeAsync(root, args, config, TestContext.Current.CancellationToken);
        return new CliRun(exitCode, outConsole.Output, errorConsole.Output, stdout.ToString(), stderr.ToString());
    }
}
