using Spectre.Console;

namespace ScenarioKit.Cli.Console;

/// <summary>
/// What the commands talk to instead of <see cref="System.Console"/>, so tests run them in process:
/// human output through Spectre consoles, machine output (JSON, SARIF, graphs) through
/// <c>ParseResult.InvocationConfiguration.Output</c>, user input through <see cref="Input"/>.
/// </summary>
internal sealed class CliContext(IAnsiConsole output, IAnsiConsole error, TextReader input, bool inputIsTerminal)
{
    public IAnsiConsole Out { get; } = output;

    /// <summary>Usage problems and failures that are not diagnostics (missing file, unwritable folder).</summary>
    public IAnsiConsole Error { get; } = error;

    public TextReader Input { get; } = input;

    /// <summary>Whether text written straight to stdout (compiler diagnostics) may carry ANSI colour: the same decision as for <see cref="Out"/>.</summary>
    public bool OutSupportsColor => SupportsColor(Out);

    public bool ErrorSupportsColor => SupportsColor(Error);

    static bool SupportsColor(IAnsiConsole console) =>
        console.Profile.Capabilities.Ansi && console.Profile.Capabilities.ColorSystem != ColorSystem.NoColors;

    /// <summary>False when stdin is redirected: commands then read one line per turn and print plain text.</summary>
    public bool InputIsTerminal { get; } = inputIsTerminal;

    /// <summary>The real process console: colour only on a terminal, never with NO_COLOR.</summary>
    public static CliContext FromProcess()
    {
        var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => e.Value as string ?? "", StringComparer.Ordinal);
        return new CliContext(
            ConsoleFactory.Create(System.Console.Out, !System.Console.IsOutputRedirected, env),
            ConsoleFactory.Create(System.Console.Error, !System.Console.IsErrorRedirected, env),
            System.Console.In,
            !System.Console.IsInputRedirected);
    }
}
