using System.CommandLine;
using System.CommandLine.Invocation;

namespace ScenarioKit.Cli;

internal static class CliRunner
{
    // The tool command name (csproj ToolCommandName), not the host process name, which differs under tests.
    public const string ToolName = "scenariokit";

    /// <summary>
    /// Parses and runs. System.CommandLine reports parse errors with exit code 1; ours are usage errors (2),
    /// so a result whose action is the parse-error action maps to <see cref="ExitCodes.Usage"/>.
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, InvocationConfiguration config, CancellationToken cancellationToken = default)
    {
        var parseResult = root.Parse(args);
        if (parseResult.Action is not ParseErrorAction parseError)
            return await parseResult.InvokeAsync(config, cancellationToken);

        // A wrong option deserves the error and a pointer to help, not the whole help text under it;
        // a bare `scenariokit` still gets the full help.
        parseError.ShowHelp = args.Count == 0;
        parseError.ShowTypoCorrections = true;
        await parseResult.InvokeAsync(config, cancellationToken);
        if (args.Count > 0)
        {
            // The whole path, so a nested command (agents audit) points at its own help.
            var names = new List<string>();
            for (var r = parseResult.CommandResult; r is not null && r.Command is not RootCommand; r = r.Parent as System.CommandLine.Parsing.CommandResult)
                names.Insert(0, r.Command.Name);
            var command = string.Join(' ', [ToolName, .. names]);
            await config.Error.WriteLineAsync($"Run '{command} --help' for usage.");
        }
        return ExitCodes.Usage;
    }
}
