using Spectre.Console;

namespace ScenarioKit.Cli.Console;

internal static class ConsoleFactory
{
    // Wide enough that a diagnostic with a long source line is never re-wrapped when piped to a file or CI log.
    internal const int RedirectedWidth = 32767;

    /// <summary>
    /// A console writing to <paramref name="writer"/>. Colour and other ANSI sequences only when the
    /// writer is a terminal and <c>NO_COLOR</c> is absent or empty (https://no-color.org).
    /// </summary>
    public static IAnsiConsole Create(TextWriter writer, bool isTerminal, IReadOnlyDictionary<string, string> environment)
    {
        var ansi = isTerminal && !NoColorRequested(environment);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = ansi ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = ansi ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
            EnvironmentVariables = environment.ToDictionary(StringComparer.Ordinal),
        });
        if (!isTerminal)
            console.Profile.Width = RedirectedWidth;
        return console;
    }

    public static bool NoColorRequested(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue("NO_COLOR", out var value) && value.Length > 0;
}
