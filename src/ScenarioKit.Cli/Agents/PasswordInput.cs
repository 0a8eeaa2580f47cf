using ScenarioKit.Cli.Console;
using Spectre.Console;

namespace ScenarioKit.Cli.Agents;

/// <summary>
/// Where a new password comes from: one line of stdin with <c>--password-stdin</c> (scripts), else two prompts
/// without echo on a terminal. Never anything a shell history or <c>ps</c> would show (no password option).
/// </summary>
internal static class PasswordInput
{
    /// <summary>The password, or the usage/failure message and exit code when there is none.</summary>
    public static (string? Password, int ExitCode, string? Error) Read(CliContext context, bool fromStdin, string login)
    {
        if (fromStdin)
        {
            // One line: a trailing newline (echo, printf '%s\n') is the end of the line, not part of the password.
            var line = context.Input.ReadLine();
            return string.IsNullOrEmpty(line)
                ? (null, ExitCodes.Usage, "--password-stdin: no password on standard input (expected one line).")
                : (line, ExitCodes.Success, null);
        }
        if (!context.InputIsTerminal)
            return (null, ExitCodes.Usage, "standard input is not a terminal, so there is nobody to ask for the password: pass it on one line with --password-stdin, e.g. printf '%s\\n' \"$PASSWORD\" | scenariokit agents add … --password-stdin");

        // Prompts go to stderr, so stdout stays the command's own output; Secret(null) echoes nothing, not even '*'.
        try
        {
            var first = context.Error.Prompt(new TextPrompt<string>($"New password for {login.EscapeMarkup()}:").Secret(null));
            var second = context.Error.Prompt(new TextPrompt<string>("Repeat it:").Secret(null));
            return first == second
                ? (first, ExitCodes.Success, null)
                : (null, ExitCodes.Failed, "the two passwords differ; nothing was changed.");
        }
        catch (InvalidOperationException)
        {
            // Spectre refuses to prompt when stderr is not an interactive terminal.
            return (null, ExitCodes.Usage, "cannot prompt for the password here: pass it on one line with --password-stdin.");
        }
    }
}
